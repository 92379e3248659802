// Reminders end to end on real parts with an injected clock: SQLite, the HTTP service on
// 127.0.0.1 (acknowledgements by API and by signed link), an SMTP server and a webhook receiver.
// The clock walks from the alert to 3 days before the apply-by date, the day itself and beyond.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { resolveConfig } from '../../src/config/load.js';
import { createMetrics } from '../../src/http/metrics.js';
import type { Advisory } from '../../src/model/advisory.js';
import type { Match } from '../../src/model/match.js';
import { planAlerts, recordAlerts, runCycle } from '../../src/pipeline/index.js';
import { fixedClock } from '../../src/util/clock.js';
import { silentLogger } from '../../src/util/logger.js';
import { buildServer } from '../../src/http/server.js';
import { makeAdvisory, makeMatch } from '../helpers/alert-factory.js';
import { closedPort, startServer, type TestServer } from '../helpers/http-server.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.js';

const TOKEN = 'test-admin-token-remind-7d1e';
const LINK_SECRET = 'remind-test-link-secret-0123456789abcdef';
const HOOK_SECRET = 'whsec_' + Buffer.from('secwatch-remind-secret-0123456789').toString('base64');
const clock = fixedClock('2026-11-20T10:00:00Z');

let app: App;
let base: string;
let smtp: SmtpSink;
let hook: TestServer;
let close: () => Promise<void>;

/** Three advisories, each matching the same Exchange server, due 2026-12-01. */
const advisoryA = makeAdvisory({ id: 'kev:CVE-2026-1001', cves: ['CVE-2026-1001'], title: 'Exchange hybrid privilege escalation' });
const advisoryB = makeAdvisory({ id: 'kev:CVE-2026-1002', cves: ['CVE-2026-1002'], title: 'Exchange OWA spoofing' });
const advisoryC = makeAdvisory({ id: 'kev:CVE-2026-1003', cves: ['CVE-2026-1003'], title: 'Exchange PowerShell remoting RCE' });
const matchOf = (a: Advisory, applyBy = '2026-12-01'): Match => makeMatch({ advisoryId: a.id, applyBy, applyByRule: 'kev:dueDate' });

interface Mail { subject: string; text: string; html: string; to: string }
async function mails(): Promise<Mail[]> {
  return Promise.all(
    smtp.messages.map(async (m) => {
      const p = await simpleParser(m.raw);
      return { subject: p.subject ?? '', text: p.text ?? '', html: typeof p.html === 'string' ? p.html : '', to: m.to.join(',') };
    }),
  );
}
const reminderMails = async () => (await mails()).filter((m) => m.subject.startsWith('Reminder:'));
const hookBodies = () => hook.requests.map((r) => JSON.parse(r.body) as { type: string; data: { id: string; reminder?: { kind: string; date: string; daysLeft: number } } });
const reminderHooks = () => hookBodies().filter((b) => b.type === 'reminder.due');

async function cycleAt(at: string) {
  clock.set(at);
  return runCycle(app, []);
}

beforeAll(async () => {
  smtp = await startSmtpSink();
  hook = await startServer((_req, res) => res.writeHead(204).end());
  const port = await closedPort();
  const dir = mkdtempSync(join(tmpdir(), 'secwatch-remind-'));
  const config = resolveConfig(
    {
      dataDir: dir,
      store: { url: 'sqlite::memory:' },
      email: { from: 'secwatch <alerts@secwatch.example.org>' },
      http: { publicUrl: `http://127.0.0.1:${port}` },
      network: { allowPrivateHosts: ['127.0.0.1'] },
      subscriptions: [
        { id: 'ops', channel: 'email', to: ['ops@example.org'], minSeverity: 'important', matchedOnly: true },
        { id: 'siem', channel: 'webhook', url: `${hook.url}/hook`, secretEnv: 'HOOK_SECRET', minSeverity: 'important', matchedOnly: true },
      ],
    },
    { baseDir: dir, env: { SECWATCH_ADMIN_TOKEN: TOKEN, SECWATCH_SMTP_URL: smtp.url, SECWATCH_LINK_SECRET: LINK_SECRET, HOOK_SECRET } },
  );
  app = await createApp(config, { clock, log: silentLogger });
  const built = buildServer({ ...app, metrics: createMetrics(app.store, app.sources) });
  base = await built.server.listen({ host: '127.0.0.1', port });
  close = async () => {
    built.server.server.closeAllConnections();
    await built.server.close();
    await app.close();
    await smtp.close();
    await hook.close();
  };
  // The alerts themselves, as the match stage records them, sent on 2026-11-20.
  const outcomes = await app.store.upsertAdvisories([advisoryA, advisoryB, advisoryC], clock.now());
  const matches = new Map<string, Match[]>([advisoryA, advisoryB, advisoryC].map((a) => [a.id, [matchOf(a)]]));
  for (const [id, m] of matches) await app.store.replaceMatches(id, m);
  await recordAlerts(app, planAlerts(outcomes, matches, app.config.subscriptions, app.policy));
  const sent = await runCycle(app, []);
  expect(sent.deliveries.sent).toBe(6);
}, 60_000);

afterAll(async () => close(), 30_000);

describe('apply-by reminders through the pipeline', () => {
  let linkC = '';

  it('alerts carry signed "Mark applied" / "Not applicable" links in text and HTML', async () => {
    const alertC = (await mails()).find((m) => m.subject.includes('PowerShell remoting'));
    expect(alertC?.subject).not.toMatch(/^Reminder/);
    const applied = new RegExp(`Mark applied: (${base}/ack\\?t=v1\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+)`).exec(alertC?.text ?? '');
    expect(applied, alertC?.text).not.toBeNull();
    linkC = applied![1]!;
    expect(alertC?.text).toMatch(new RegExp(`Not applicable: ${base}/ack\\?t=v1\\.`));
    // Handlebars writes "=" in attributes as &#x3D; (the browser reads it back as "=").
    expect(alertC?.html.replace(/&#x3D;/g, '=')).toContain(`href="${linkC}"`);
    expect(alertC?.html).toContain('>Not applicable</a>');
    // Webhooks carry no links (a machine acknowledges through the API).
    expect(JSON.stringify(hookBodies())).not.toContain('/ack?');
  });

  it('an acknowledgement by API stops B\u2019s reminders', async () => {
    const res = await fetch(`${base}/advisories/${encodeURIComponent(advisoryB.id)}/matches/mail/${encodeURIComponent('Exchange 2019')}/acknowledgement`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'applied', note: 'CHG-42' }),
    });
    expect(res.status).toBe(201);
  });

  it('an acknowledgement by signed link: GET shows a button and records nothing, POST records it', async () => {
    const page = await fetch(linkC);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<form method="post"');
    expect(html).toContain('Exchange 2019');
    expect(await app.store.listAcknowledgements([advisoryC.id])).toEqual([]);
    const post = await fetch(linkC, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'confirm=1' });
    expect(post.status).toBe(200);
    expect(await post.text()).toContain('marked as applied');
    const [ack] = await app.store.listAcknowledgements([advisoryC.id]);
    expect(ack).toMatchObject({ advisoryId: advisoryC.id, itemCollection: 'mail', itemName: 'Exchange 2019', status: 'applied' });
  });

  it('3 days before: one reminder per channel for A only; a rerun adds none', async () => {
    const early = await cycleAt('2026-11-27T12:00:00Z');
    expect(early.deliveries.planned).toBe(0);
    const first = await cycleAt('2026-11-28T08:00:00Z');
    expect(first.deliveries).toMatchObject({ planned: 2, sent: 2, failed: 0 });
    const [mail, ...more] = await reminderMails();
    expect(more).toEqual([]);
    expect(mail?.subject).toBe('Reminder: [CRITICAL] Exchange 2019: Exchange hybrid privilege escalation — apply by 2026-12-01, 3 days left');
    expect(mail?.text).toContain('Reminder: apply by 2026-12-01 — 3 days left');
    expect(mail?.text).toContain('Mark applied:');
    expect(mail?.html).toContain('Reminder: apply by 2026-12-01 — 3 days left');
    expect(reminderHooks().map((b) => [b.data.id, b.data.reminder])).toEqual([[advisoryA.id, { kind: 'before', date: '2026-12-01', daysLeft: 3, text: 'Reminder: apply by 2026-12-01 — 3 days left' }]]);

    const rerun = await cycleAt('2026-11-28T20:00:00Z');
    expect(rerun.deliveries.planned).toBe(0);
    await cycleAt('2026-11-30T08:00:00Z');
    expect(await reminderMails()).toHaveLength(1);
    expect(reminderHooks()).toHaveLength(1);
  });

  it('on the day: one more reminder each, then none', async () => {
    const onTheDay = await cycleAt('2026-12-01T06:00:00Z');
    expect(onTheDay.deliveries).toMatchObject({ planned: 2, sent: 2 });
    const subjects = (await reminderMails()).map((m) => m.subject);
    expect(subjects[1]).toBe('Reminder: [CRITICAL] Exchange 2019: Exchange hybrid privilege escalation — apply by 2026-12-01, due today');
    expect(reminderHooks().map((b) => b.data.reminder?.kind)).toEqual(['before', 'due-today']);
    expect((await cycleAt('2026-12-01T18:00:00Z')).deliveries.planned).toBe(0);
  });

  it('a moved apply-by date gets new reminders (and the old date no overdue one)', async () => {
    await app.store.replaceMatches(advisoryA.id, [matchOf(advisoryA, '2026-12-15')]);
    expect((await cycleAt('2026-12-02T08:00:00Z')).deliveries.planned).toBe(0);
    const moved = await cycleAt('2026-12-12T08:00:00Z');
    expect(moved.deliveries).toMatchObject({ planned: 2, sent: 2 });
    expect(reminderHooks().map((b) => b.data.reminder?.date)).toEqual(['2026-12-01', '2026-12-01', '2026-12-15']);
    const keys = (await app.store.listDeliveries({ advisoryIds: [advisoryA.id] })).map((d) => d.key).filter((k) => k.includes(':remind:'));
    expect(keys.sort()).toEqual(
      ['ops', 'siem'].flatMap((s) => [`${s}:${advisoryA.id}:remind:0d:2026-12-01`, `${s}:${advisoryA.id}:remind:3d:2026-12-01`, `${s}:${advisoryA.id}:remind:3d:2026-12-15`]).sort(),
    );
  });

  it('B and C (acknowledged) never got a reminder', async () => {
    const all = await app.store.listDeliveries({ advisoryIds: [advisoryB.id, advisoryC.id] });
    expect(all.map((d) => d.key).filter((k) => k.includes(':remind:'))).toEqual([]);
    expect(all).toHaveLength(4);
  });
});
