// Digests end to end through the inline runner's deliver stage (recordAlerts + deliverDue), with
// an injected clock and real receivers on 127.0.0.1: an SMTP server for email, HTTP for Slack and
// a Standard Webhooks receiver. Each window's digest holds exactly that window's alerts, once.
import { simpleParser, type ParsedMail } from 'mailparser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { resolveConfig } from '../../src/config/load.js';
import type { Alert } from '../../src/deliver/channel.js';
import type { Advisory } from '../../src/model/advisory.js';
import { deliverDue, recordAlerts } from '../../src/pipeline/deliver-alerts.js';
import { openStore, type Store } from '../../src/store/index.js';
import { deliveryKey } from '../../src/store/store.js';
import { fixedClock } from '../../src/util/clock.js';
import { silentLogger } from '../../src/util/logger.js';
import { makeAdvisory, makeAlert, makeMatch } from '../helpers/alert-factory.js';
import { startServer, type TestServer } from '../helpers/http-server.js';
import { HOOK_SECRET } from '../helpers/runner-fixture.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.js';

let store: Store;
let smtp: SmtpSink;
let slack: TestServer;
let hook: TestServer;
let app: App | undefined;
/** What the Slack and webhook receivers answer next (then 200 for ever). */
let slackAnswers: number[] = [];
let hookAnswers: number[] = [];
const clock = fixedClock('2026-03-28T06:00:00Z');

beforeEach(async () => {
  store = await openStore('sqlite::memory:');
  smtp = await startSmtpSink();
  slackAnswers = [];
  hookAnswers = [];
  slack = await startServer((_req, res) => res.writeHead(slackAnswers.shift() ?? 200).end('ok'));
  hook = await startServer((_req, res) => res.writeHead(hookAnswers.shift() ?? 204).end());
});

afterEach(async () => {
  await app?.close();
  app = undefined;
  await Promise.all([store.close(), smtp.close(), slack.close(), hook.close()]);
});

async function start(subscriptions: Record<string, unknown>[]): Promise<App> {
  const config = resolveConfig(
    { subscriptions, network: { allowPrivateHosts: ['127.0.0.1'] }, email: { from: 'secwatch <secwatch@example.org>' } },
    { baseDir: '/tmp', env: { SECWATCH_SMTP_URL: smtp.url, SLACK_URL: `${slack.url}/services/T000/B000/secret`, HOOK_SECRET } },
  );
  app = await createApp(config, { store, clock, log: silentLogger, random: () => 0.5 });
  return app;
}

/** An alert for advisory ADV-n; important and not in KEV unless told otherwise. */
function alert(subscriptionId: string, n: number, advisory: Partial<Advisory> = {}): Alert {
  const adv = makeAdvisory({ id: `ADV-${n}`, title: `Advisory number ${n}`, severity: 'important', exploited: {}, cves: [], ...advisory });
  return makeAlert({ id: deliveryKey(subscriptionId, adv.id, 1), subscriptionId, advisory: adv, matches: [makeMatch({ advisoryId: adv.id })] });
}

/** Record alerts at a given time: a delivery's window is the one holding the moment it was recorded. */
async function recordAt(deps: App, at: string, alerts: Alert[]): Promise<void> {
  clock.set(at);
  await recordAlerts(deps, alerts);
}

async function runAt(deps: App, at: string) {
  clock.set(at);
  return deliverDue(deps);
}

const titlesIn = (text: string): string[] => [...text.matchAll(/Advisory number (\d+)/g)].map((m) => m[1]!).filter((v, i, a) => a.indexOf(v) === i);

describe('daily email digest at 08:00 Europe/Berlin', () => {
  it('sends one message per window with exactly its alerts, across the spring DST change', async () => {
    const deps = await start([
      { id: 'ops-mail', channel: 'email', to: ['ops@example.org'], minSeverity: 'low', matchedOnly: false, delivery: { mode: 'digest', every: 'daily', at: '08:00', timeZone: 'Europe/Berlin' } },
    ]);
    await recordAt(deps, '2026-03-28T06:59:00Z', [alert('ops-mail', 1)]); // 07:59 CET: the window closing at 08:00 CET on the 28th
    await recordAt(deps, '2026-03-28T07:00:00Z', [alert('ops-mail', 2)]); // 08:00 CET: the next one
    await recordAt(deps, '2026-03-29T05:59:00Z', [alert('ops-mail', 3), alert('ops-mail', 4)]); // 07:59 CEST, after the change
    await recordAt(deps, '2026-03-29T06:00:00Z', [alert('ops-mail', 5)]); // 08:00 CEST: the window after

    // Before any window closed: nothing goes out, nothing fails.
    expect(await runAt(deps, '2026-03-28T06:59:30Z')).toEqual({ sent: 0, retry: 0, failed: 0 });
    expect(smtp.messages).toHaveLength(0);

    // 08:00 CEST on the 29th, 23 hours after 08:00 CET: both closed windows, one message each.
    expect(await runAt(deps, '2026-03-29T06:00:00Z')).toEqual({ sent: 2, retry: 0, failed: 0 });
    expect(smtp.messages).toHaveLength(2);
    const [first, second] = await Promise.all(smtp.messages.map((m) => simpleParser(m.raw)));
    expect(titlesIn(first!.text ?? '')).toEqual(['1']);
    expect(titlesIn(second!.text ?? '')).toEqual(['2', '3', '4']);
    expect(titlesIn(String(second!.html))).toEqual(['2', '3', '4']);
    expect(second!.subject).toContain('[DIGEST] 3 advisories (3 important)');
    expect(second!.subject).toContain('2026-03-28 08:00 to 2026-03-29 08:00 (Europe/Berlin)');
    expect(second!.messageId).toMatch(/^<dg-[0-9a-f]{24}@example\.org>$/);
    for (const key of ['ADV-2', 'ADV-3', 'ADV-4']) expect((await store.getDelivery(`ops-mail:${key}:1`))?.status).toBe('sent');
    expect((await store.getDelivery('ops-mail:ADV-5:1'))?.status).toBe('pending');

    // A second run in the same minute sends nothing; the next morning brings the last one alone.
    expect(await runAt(deps, '2026-03-29T06:00:30Z')).toEqual({ sent: 0, retry: 0, failed: 0 });
    expect(await runAt(deps, '2026-03-30T06:00:00Z')).toEqual({ sent: 1, retry: 0, failed: 0 });
    expect(smtp.messages).toHaveLength(3);
    expect(titlesIn((await simpleParser(smtp.messages[2]!.raw)).text ?? '')).toEqual(['5']);
  });

  it('escapes advisory text in the HTML part', async () => {
    const deps = await start([{ id: 'ops-mail', channel: 'email', to: ['ops@example.org'], minSeverity: 'low', matchedOnly: false, delivery: { mode: 'digest', every: 'hourly' } }]);
    await recordAt(deps, '2026-03-28T10:10:00Z', [alert('ops-mail', 1, { title: 'Advisory number 1 <script>alert(1)</script>' })]);
    await runAt(deps, '2026-03-28T11:00:00Z');
    const mail: ParsedMail = await simpleParser(smtp.messages[0]!.raw);
    expect(String(mail.html)).not.toContain('<script>');
    expect(String(mail.html)).toContain('&lt;script&gt;');
    expect(mail.text).toContain('<script>alert(1)</script>');
  });
});

describe('hourly Slack digest', () => {
  // A generous rate limit: Slack's default 1/s would make the runner wait in real time.
  const sub = { id: 'ops-slack', channel: 'slack', urlEnv: 'SLACK_URL', minSeverity: 'low', matchedOnly: false, rateLimit: '100/s', delivery: { mode: 'digest', every: 'hourly' } };

  it('holds the hour’s alerts for one message; a critical KEV item goes at once', async () => {
    const deps = await start([sub]);
    await recordAt(deps, '2026-03-28T10:05:00Z', [alert('ops-slack', 1)]);
    await recordAt(deps, '2026-03-28T10:10:00Z', [alert('ops-slack', 2, { severity: 'critical', exploited: { kev: { dateAdded: '2026-03-28', dueDate: '2026-04-11', ransomware: false }, exploited: true } })]);
    await recordAt(deps, '2026-03-28T10:59:59Z', [alert('ops-slack', 3)]);
    await recordAt(deps, '2026-03-28T11:00:00Z', [alert('ops-slack', 4)]);

    expect(await runAt(deps, '2026-03-28T10:15:00Z')).toEqual({ sent: 1, retry: 0, failed: 0 });
    expect(slack.requests).toHaveLength(1);
    const immediate = JSON.parse(slack.requests[0]!.body) as { text: string };
    expect(immediate.text).not.toContain('digest');
    expect(slack.requests[0]!.body).toContain('Advisory number 2');

    expect(await runAt(deps, '2026-03-28T11:00:00Z')).toEqual({ sent: 1, retry: 0, failed: 0 });
    expect(slack.requests).toHaveLength(2);
    const digest = JSON.parse(slack.requests[1]!.body) as { text: string; blocks: unknown[] };
    expect(digest.text).toContain('secwatch hourly digest');
    expect(titlesIn(slack.requests[1]!.body)).toEqual(['1', '3']);
    expect(digest.blocks).toHaveLength(3);
  });

  it('a 120-item digest whose part 2 fails resends only parts 2 and 3', async () => {
    const deps = await start([sub]);
    await recordAt(deps, '2026-03-28T10:05:00Z', Array.from({ length: 120 }, (_, i) => alert('ops-slack', i + 1)));
    slackAnswers = [200, 500];
    expect(await runAt(deps, '2026-03-28T11:00:00Z')).toEqual({ sent: 0, retry: 1, failed: 0 });
    // The lead (the oldest member, then the first key) carries the frozen digest and its progress.
    const lead = (await store.listDeliveries({ subscriptionId: 'ops-slack' })).find((d) => d.progress !== undefined);
    expect(lead?.progress?.partsSent).toBe(1);
    expect(lead?.progress?.digest?.keys).toHaveLength(120);
    expect(lead?.status).toBe('retry');
    // Every member waits for the same retry.
    expect((await store.listDeliveries({ status: 'retry', subscriptionId: 'ops-slack' })).map((d) => d.nextAttemptAt)).toEqual(Array(120).fill(lead?.nextAttemptAt));

    expect(await runAt(deps, lead!.nextAttemptAt!)).toEqual({ sent: 1, retry: 0, failed: 0 });
    const parts = slack.requests.map((r) => /\(part (\d)\/3\)/.exec((JSON.parse(r.body) as { text: string }).text)?.[1]);
    expect(parts).toEqual(['1', '2', '2', '3']);
    // Every item exactly once across the accepted parts (1, then the second 2, then 3).
    const accepted = [slack.requests[0]!, slack.requests[2]!, slack.requests[3]!].flatMap((r) => titlesIn(r.body));
    expect(accepted.map(Number).sort((a, b) => a - b)).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
    expect(await store.listDeliveries({ status: 'sent', subscriptionId: 'ops-slack' })).toHaveLength(120);
  });
});

describe('webhook digest', () => {
  it('a receiver answering 500 then 204 gets exactly one digest, the same id and items both times', async () => {
    const deps = await start([
      { id: 'hooks', channel: 'webhook', url: `${hook.url}/in`, secretEnv: 'HOOK_SECRET', minSeverity: 'low', matchedOnly: false, delivery: { mode: 'digest', every: 'hourly' } },
    ]);
    await recordAt(deps, '2026-03-28T10:05:00Z', [alert('hooks', 1), alert('hooks', 2)]);
    hookAnswers = [500];
    expect(await runAt(deps, '2026-03-28T11:00:00Z')).toEqual({ sent: 0, retry: 1, failed: 0 });
    const retryAt = (await store.getDelivery('hooks:ADV-1:1'))!.nextAttemptAt!;
    expect(await runAt(deps, retryAt)).toEqual({ sent: 1, retry: 0, failed: 0 });
    expect(await runAt(deps, '2026-03-28T13:00:00Z')).toEqual({ sent: 0, retry: 0, failed: 0 });

    expect(hook.requests).toHaveLength(2);
    const [failed, accepted] = hook.requests.map((r) => ({ id: r.headers['webhook-id'], body: JSON.parse(r.body) as { type: string; data: { id: string; items: { data: { id: string } }[] } } }));
    expect(accepted!.id).toBe(failed!.id);
    expect(accepted!.body.type).toBe('digest.created');
    expect(accepted!.body.data.id).toBe(accepted!.id);
    expect(accepted!.body.data.items.map((i) => i.data.id)).toEqual(['ADV-1', 'ADV-2']);
    expect(failed!.body.data.items).toEqual(accepted!.body.data.items);
    const records = await store.listDeliveries({ subscriptionId: 'hooks' });
    expect(records.map((d) => [d.status, d.attempts])).toEqual([
      ['sent', 2],
      ['sent', 2],
    ]);
  });

  it('a subscriber switched back to immediate gets what was held at once', async () => {
    const held = { id: 'hooks', channel: 'webhook', url: `${hook.url}/in`, secretEnv: 'HOOK_SECRET', minSeverity: 'low', matchedOnly: false };
    const first = await start([{ ...held, delivery: { mode: 'digest', every: 'daily' } }]);
    await recordAt(first, '2026-03-28T10:05:00Z', [alert('hooks', 1)]);
    expect(await runAt(first, '2026-03-28T10:06:00Z')).toEqual({ sent: 0, retry: 0, failed: 0 });
    await first.close();
    app = undefined;
    const second = await start([held]);
    expect(await runAt(second, '2026-03-28T10:07:00Z')).toEqual({ sent: 1, retry: 0, failed: 0 });
    expect((JSON.parse(hook.requests[0]!.body) as { type: string }).type).toBe('advisory.created');
  });
});
