// Acknowledgement links in digests, end to end: alerts held for an hourly digest go out through the
// inline deliver stage to a real SMTP server and real Slack/Teams receivers on 127.0.0.1, and the
// links they carry, POSTed to the real HTTP service, record the acknowledgement in the store.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { resolveConfig } from '../../src/config/load.js';
import type { Alert } from '../../src/deliver/channel.js';
import { createMetrics } from '../../src/http/metrics.js';
import { buildServer } from '../../src/http/server.js';
import type { Advisory } from '../../src/model/advisory.js';
import type { Match } from '../../src/model/match.js';
import { deliverDue, recordAlerts } from '../../src/pipeline/deliver-alerts.js';
import { deliveryKey } from '../../src/store/store.js';
import { fixedClock } from '../../src/util/clock.js';
import { silentLogger } from '../../src/util/logger.js';
import { makeAdvisory, makeAlert, makeMatch } from '../helpers/alert-factory.js';
import { closedPort, startServer, type TestServer } from '../helpers/http-server.js';
import { HOOK_SECRET } from '../helpers/runner-fixture.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.js';

const LINK_SECRET = 'digest-ack-test-link-secret-0123456789abcdef';
const clock = fixedClock('2026-03-28T10:05:00Z');
const hourly = { mode: 'digest', every: 'hourly' };

let smtp: SmtpSink;
let chat: TestServer;
let app: App;
let base: string;
let stop: () => Promise<void>;

/** Two advisories: ADV-1 hits two items, ADV-2 one; ADV-2's item name needs escaping everywhere. */
const adv1 = makeAdvisory({ id: 'ADV-1', title: 'Advisory number 1', severity: 'important', exploited: {}, cves: [] });
const adv2 = makeAdvisory({ id: 'ADV-2', title: 'Advisory number 2', severity: 'important', exploited: {}, cves: [] });
const item = (name: string, collection = 'mail'): Match['item'] => ({ ...makeMatch().item, name, collection });
const matches = new Map<string, Match[]>([
  [adv1.id, [makeMatch({ advisoryId: adv1.id, item: item('Exchange 2019') }), makeMatch({ advisoryId: adv1.id, item: item('Exchange 2016') })]],
  [adv2.id, [makeMatch({ advisoryId: adv2.id, item: item('web <edge> & proxy', 'dmz') })]],
]);

function alertsFor(subscriptionId: string): Alert[] {
  return [adv1, adv2].map((a: Advisory) => makeAlert({ id: deliveryKey(subscriptionId, a.id, 1), subscriptionId, advisory: a, matches: matches.get(a.id)! }));
}

async function start(secret: string | undefined): Promise<void> {
  const port = await closedPort();
  const config = resolveConfig(
    {
      dataDir: mkdtempSync(join(tmpdir(), 'secwatch-digest-ack-')),
      store: { url: 'sqlite::memory:' },
      network: { allowPrivateHosts: ['127.0.0.1'] },
      email: { from: 'secwatch <secwatch@example.org>' },
      http: { publicUrl: `http://127.0.0.1:${port}` },
      subscriptions: [
        { id: 'ops-mail', channel: 'email', to: ['ops@example.org'], minSeverity: 'low', matchedOnly: false, delivery: hourly },
        { id: 'ops-slack', channel: 'slack', urlEnv: 'SLACK_URL', minSeverity: 'low', matchedOnly: false, rateLimit: '100/s', delivery: hourly },
        { id: 'ops-teams', channel: 'teams', urlEnv: 'TEAMS_URL', minSeverity: 'low', matchedOnly: false, rateLimit: '100/s', delivery: hourly },
        { id: 'siem', channel: 'webhook', url: `${chat.url}/hook`, secretEnv: 'HOOK_SECRET', minSeverity: 'low', matchedOnly: false, delivery: hourly },
      ],
    },
    {
      baseDir: '/tmp',
      env: {
        SECWATCH_SMTP_URL: smtp.url,
        SLACK_URL: `${chat.url}/slack/T000/B000/secret`,
        TEAMS_URL: `${chat.url}/teams/workflow`,
        HOOK_SECRET,
        ...(secret ? { SECWATCH_LINK_SECRET: secret } : {}),
      },
    },
  );
  app = await createApp(config, { clock, log: silentLogger, random: () => 0.5 });
  const built = buildServer({ ...app, metrics: createMetrics(app.store, app.sources) });
  base = await built.server.listen({ host: '127.0.0.1', port });
  stop = async () => {
    built.server.server.closeAllConnections();
    await built.server.close();
    await app.close();
  };
  clock.set('2026-03-28T10:05:00Z');
  await app.store.upsertAdvisories([adv1, adv2], clock.now());
  for (const [id, m] of matches) await app.store.replaceMatches(id, m);
  await recordAlerts(app, [...alertsFor('ops-mail'), ...alertsFor('ops-slack'), ...alertsFor('ops-teams'), ...alertsFor('siem')]);
  // Held for the hour: nothing goes out before the window closes.
  expect(await deliverDue(app)).toEqual({ sent: 0, retry: 0, failed: 0 });
  clock.set('2026-03-28T11:00:00Z');
  expect(await deliverDue(app)).toEqual({ sent: 4, retry: 0, failed: 0 });
}

beforeEach(async () => {
  smtp = await startSmtpSink();
  chat = await startServer((_req, res) => res.writeHead(200).end('ok'));
});

afterEach(async () => {
  await stop();
  await Promise.all([smtp.close(), chat.close()]);
});

const LINK = '/ack\\?t=v1\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+';
const linksIn = (text: string): string[] => [...text.matchAll(new RegExp(`http://127\\.0\\.0\\.1:\\d+${LINK}`, 'g'))].map((m) => m[0]);
const bodyOf = (prefix: string): string => chat.requests.filter((r) => r.url?.startsWith(prefix)).map((r) => r.body).join('\n');

async function post(link: string): Promise<Response> {
  return fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'confirm=1' });
}

/** The status a signed link acknowledges, read from its readable (not secret) data part. */
function claimOf(link: string): unknown[] {
  const token = new URL(link).searchParams.get('t')!;
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as unknown[];
}

describe('acknowledgement links in digests', () => {
  it('email digest: per matched item in text and HTML; POSTing one records the acknowledgement', async () => {
    await start(LINK_SECRET);
    expect(smtp.messages).toHaveLength(1);
    const mail = await simpleParser(smtp.messages[0]!.raw);
    expect(mail.subject).toContain('[DIGEST] 2 advisories');
    const text = mail.text ?? '';
    const applied = new RegExp(`Exchange 2016: Mark applied: (${base}${LINK})`).exec(text);
    expect(applied, text).not.toBeNull();
    expect(text).toMatch(new RegExp(`Exchange 2019: Mark applied: ${base}${LINK}`));
    expect(text).toMatch(new RegExp(`Exchange 2019: Not applicable: ${base}${LINK}`));
    expect(text).toMatch(new RegExp(`web <edge> & proxy: Not applicable: ${base}${LINK}`));
    // 3 matched items × 2 statuses, each link distinct; the HTML part carries the same links.
    const links = linksIn(text);
    expect(new Set(links).size).toBe(6);
    const html = String(mail.html).replace(/&#x3D;/g, '=');
    for (const l of links) expect(html).toContain(`href="${l}"`);
    expect(html).toContain('web &lt;edge&gt; &amp; proxy: <a href=');
    expect(claimOf(applied![1]!)).toEqual(['ops-mail', 'ADV-1', 'mail', 'Exchange 2016', 'applied', Date.parse('2026-03-28T11:00:00Z') + 90 * 86_400_000]);

    expect(await app.store.listAcknowledgements(['ADV-1'])).toEqual([]);
    const res = await post(applied![1]!);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('marked as applied');
    const acks = await app.store.listAcknowledgements(['ADV-1', 'ADV-2']);
    expect(acks).toHaveLength(1);
    expect(acks[0]).toMatchObject({ advisoryId: 'ADV-1', itemCollection: 'mail', itemName: 'Exchange 2016', status: 'applied' });
  });

  it('Slack and Teams digests: the links for every item, whole; POSTing them records the acknowledgements', async () => {
    await start(LINK_SECRET);
    const slack = bodyOf('/slack/');
    const teams = bodyOf('/teams/');
    expect(slack).toContain('Advisory number 2');
    expect(teams).toContain('Advisory number 2');
    const slackLinks = linksIn(slack);
    const teamsLinks = linksIn(teams);
    expect(new Set(slackLinks).size).toBe(6);
    expect(new Set(teamsLinks).size).toBe(6);
    // Each link is labelled as the platform writes links: <url|label> in Slack, [label](url) in Teams.
    const naLinks = [...slack.matchAll(new RegExp(`<(http://127\\.0\\.0\\.1:\\d+${LINK})\\|Not applicable>`, 'g'))].map((m) => m[1]!);
    // Slack mrkdwn escaping of the item name (and JSON escaping of the body) keeps the line readable.
    expect(slack).toContain('• web &lt;edge&gt; &amp; proxy: <http');
    expect(naLinks).toHaveLength(3);
    const teamsApplied = [...teams.matchAll(new RegExp(`\\[Mark applied\\]\\((http://127\\.0\\.0\\.1:\\d+${LINK})\\)`, 'g'))].map((m) => m[1]!);
    expect(teamsApplied).toHaveLength(3);

    const slackFor = naLinks.find((l) => claimOf(l)[3] === 'web <edge> & proxy')!;
    expect(claimOf(slackFor)).toEqual(['ops-slack', 'ADV-2', 'dmz', 'web <edge> & proxy', 'not-applicable', Date.parse('2026-03-28T11:00:00Z') + 90 * 86_400_000]);
    expect((await post(slackFor)).status).toBe(200);
    const teamsFor = teamsApplied.find((l) => claimOf(l)[3] === 'Exchange 2019')!;
    expect(claimOf(teamsFor)[0]).toBe('ops-teams');
    expect((await post(teamsFor)).status).toBe(200);

    // Webhooks carry no links (machines acknowledge through the API), in a digest as in an alert.
    expect(bodyOf('/hook')).toContain('digest.created');
    expect(bodyOf('/hook')).not.toContain('/ack?');

    const acks = await app.store.listAcknowledgements(['ADV-1', 'ADV-2']);
    expect(acks.map((a) => [a.advisoryId, a.itemName, a.status]).sort()).toEqual([
      ['ADV-1', 'Exchange 2019', 'applied'],
      ['ADV-2', 'web <edge> & proxy', 'not-applicable'],
    ]);
  });

  it('a changed link is refused and records nothing', async () => {
    await start(LINK_SECRET);
    const [link] = linksIn((await simpleParser(smtp.messages[0]!.raw)).text ?? '');
    const tampered = link!.replace(/\.([A-Za-z0-9_-])([A-Za-z0-9_-]+)$/, (_m, c: string, rest: string) => `.${c === 'A' ? 'B' : 'A'}${rest}`);
    expect((await post(tampered)).status).toBe(403);
    expect(await app.store.listAcknowledgements(['ADV-1', 'ADV-2'])).toEqual([]);
  });

  it('without SECWATCH_LINK_SECRET digests carry no links', async () => {
    await start(undefined);
    const mail = await simpleParser(smtp.messages[0]!.raw);
    expect(mail.text).toContain('Advisory number 1');
    expect(`${mail.text}\n${String(mail.html)}\n${bodyOf('/')}`).not.toContain('/ack?');
    expect(bodyOf('/slack/')).toContain('Advisory number 1');
    expect(bodyOf('/teams/')).toContain('Advisory number 1');
  });
});
