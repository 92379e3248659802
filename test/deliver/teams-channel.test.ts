import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/load.js';
import type { DeliveryContext } from '../../src/deliver/channel.js';
import { createChannel } from '../../src/deliver/registry.js';
import { buildTeamsMessages } from '../../src/deliver/teams/alert-card.js';
import { ADAPTIVE_CARD_CONTENT_TYPE, TEAMS_MAX_BYTES, type AdaptiveCardMessage, type MessageCard } from '../../src/deliver/teams/cards.js';
import { escapeCardText } from '../../src/deliver/teams/markdown.js';
import { createTeamsChannel } from '../../src/deliver/teams/teams-channel.js';
import { createHttpClient, type HttpClient } from '../../src/net/http-client.js';
import { fixedClock } from '../../src/util/clock.js';
import { silentLogger } from '../../src/util/logger.js';
import { makeAdvisory, makeAlert, makeMatch } from '../helpers/alert-factory.js';
import { startServer, type TestServer } from '../helpers/http-server.js';
import { adaptiveCardProblems, messageCardProblems } from '../helpers/teams-card-check.js';

// A Workflows URL carries its credential in the query (sig=…); the path names the workflow.
const PATH = '/workflows/4f1c0e/triggers/manual/paths/invoke?api-version=1&sp=%2Ftriggers%2Fmanual%2Frun&sig=S3cr3tSig_abcdef123456';
let replies: { status: number; headers?: Record<string, string>; body: string }[] = [];
let server: TestServer;
let http: HttpClient;
const clock = fixedClock('2025-08-12T09:00:00Z');
const ctx = (): DeliveryContext => ({ http, clock, log: silentLogger });

beforeAll(async () => {
  server = await startServer((_req, res) => {
    const r = replies.shift() ?? { status: 202, body: '' };
    res.writeHead(r.status, r.headers ?? {});
    res.end(r.body);
  });
  http = createHttpClient({ timeoutMs: 5_000, maxBytes: 1 << 20, maxRedirects: 2, userAgent: 'secwatch-test', allowPrivateHosts: ['127.0.0.1'] });
});
afterEach(() => {
  replies = [];
  server.requests.length = 0;
});
afterAll(async () => {
  await http.close();
  await server.close();
});

/** Every TextBlock/Fact text of an Adaptive Card message, with the Markdown escapes removed. */
function cardText(m: AdaptiveCardMessage): string {
  const out: string[] = [];
  for (const el of m.attachments[0].content.body) {
    if (el.type === 'TextBlock') out.push(String(el.text));
    if (el.type === 'FactSet') for (const f of el.facts as { title: string; value: string }[]) out.push(`${f.title}: ${f.value}`);
  }
  return out.join('\n').replace(/\\(.)/g, '$1');
}

/** The structure Teams requires of a Workflows message with an Adaptive Card 1.4. */
function expectAdaptiveCard(m: AdaptiveCardMessage): void {
  expect(m.type).toBe('message');
  expect(m.attachments).toHaveLength(1);
  const att = m.attachments[0];
  expect(att.contentType).toBe('application/vnd.microsoft.card.adaptive');
  expect(att.content.$schema).toBe('http://adaptivecards.io/schemas/adaptive-card.json');
  expect(att.content.type).toBe('AdaptiveCard');
  expect(att.content.version).toBe('1.4');
  expect(att.content.body.length).toBeGreaterThan(0);
  expect(adaptiveCardProblems(m)).toEqual([]);
  expect(Buffer.byteLength(JSON.stringify(m))).toBeLessThanOrEqual(28 * 1000);
}

describe('teams channel', () => {
  it('posts one Adaptive Card 1.4 with header, severity, apply-by (OVERDUE), matched items and the link', async () => {
    const alert = makeAlert();
    const result = await createTeamsChannel({ url: `${server.url}${PATH}` }).send(alert, ctx());
    expect(result).toEqual({ status: 'sent' });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.headers['content-type']).toBe('application/json');
    const msg = JSON.parse(server.requests[0]!.body) as AdaptiveCardMessage;
    expectAdaptiveCard(msg);
    const text = cardText(msg);
    expect(text).toContain(`${alert.advisory.severity.toUpperCase()}: ${alert.advisory.title}`);
    expect(text).toContain(`Apply by: ${alert.applyBy}`);
    // 2025-08-11 is over by the clock's 2025-08-12.
    expect(text).toMatch(/OVERDUE/);
    for (const m of alert.matches) expect(text).toContain(m.item.name);
    expect(msg.attachments[0].content.actions).toEqual([{ type: 'Action.OpenUrl', title: 'Open advisory', url: alert.advisory.url }]);
  });

  it('sends a legacy MessageCard when asked', async () => {
    const alert = makeAlert();
    await createTeamsChannel({ url: `${server.url}${PATH}`, format: 'messagecard' }).send(alert, ctx());
    const card = JSON.parse(server.requests[0]!.body) as MessageCard;
    expect(messageCardProblems(card)).toEqual([]);
    expect(card['@type']).toBe('MessageCard');
    expect(card['@context']).toBe('https://schema.org/extensions');
    expect(card.summary.length).toBeGreaterThan(0);
    expect(card.themeColor).toMatch(/^[0-9A-F]{6}$/);
    expect(card.potentialAction).toEqual([{ '@type': 'OpenUri', name: 'Open advisory', targets: [{ os: 'default', uri: alert.advisory.url }] }]);
    const facts = card.sections.flatMap((s) => (s.facts as { name: string; value: string }[] | undefined) ?? []);
    expect(facts.find((f) => f.name === 'Apply by')?.value).toContain(alert.applyBy!);
  });

  it('splits an alert with 600 matched items into parts under 28 KB, each item exactly once', async () => {
    const names = Array.from({ length: 600 }, (_, i) => `web-frontend-node-${String(i).padStart(3, '0')}.prod.example.org`);
    const alert = makeAlert({ matches: names.map((name) => makeMatch({ item: { ...makeMatch().item, name } })) });
    const result = await createTeamsChannel({ url: `${server.url}${PATH}` }).send(alert, ctx());
    expect(result).toEqual({ status: 'sent' });
    const msgs = server.requests.map((r) => JSON.parse(r.body) as AdaptiveCardMessage);
    expect(msgs.length).toBeGreaterThan(1);
    const all: string[] = [];
    msgs.forEach((m, i) => {
      expectAdaptiveCard(m);
      const text = cardText(m);
      expect(text).toContain(`(part ${i + 1}/${msgs.length})`);
      all.push(...names.filter((n) => text.includes(n)));
    });
    expect(all.sort()).toEqual([...names].sort());
  });

  it('keeps both formats of a big alert under the limit', () => {
    const alert = makeAlert({ matches: Array.from({ length: 400 }, (_, i) => makeMatch({ item: { ...makeMatch().item, name: `host-${i}-${'x'.repeat(60)}` } })) });
    for (const format of ['adaptive', 'messagecard'] as const) {
      const parts = buildTeamsMessages(alert, clock.now(), format);
      expect(parts.length).toBeGreaterThan(1);
      for (const p of parts) {
        expect(Buffer.byteLength(JSON.stringify(p))).toBeLessThanOrEqual(TEAMS_MAX_BYTES);
        expect(format === 'adaptive' ? adaptiveCardProblems(p) : messageCardProblems(p)).toEqual([]);
      }
    }
  });

  it('says what changed on a revision', async () => {
    const alert = makeAlert({ change: 'revised', advisory: makeAdvisory({ revision: 2 }), changes: [{ kind: 'severity-raised', from: 'moderate', to: 'critical' }] });
    await createTeamsChannel({ url: `${server.url}${PATH}` }).send(alert, ctx());
    expect(cardText(JSON.parse(server.requests[0]!.body) as AdaptiveCardMessage)).toContain('severity raised from moderate to critical');
  });

  it('the structure checks catch what Teams would refuse', () => {
    const good = buildTeamsMessages(makeAlert(), clock.now())[0] as AdaptiveCardMessage;
    const content = good.attachments[0].content;
    const bad = { ...good, attachments: [{ ...good.attachments[0], content: { ...content, version: '1.6', body: [...content.body, { type: 'TextBlock', text: 'x', color: 'red' }] } }] };
    expect(adaptiveCardProblems(bad)).toEqual(['version 1.6 is not 1.4', `body[${content.body.length}].color: "red" is not one of Default|Dark|Light|Accent|Good|Warning|Attention`]);
    expect(messageCardProblems({ '@type': 'MessageCard', '@context': 'https://schema.org/extensions', sections: [{ facts: [{ name: 'a' }] }] })).toEqual([
      'needs summary or text',
      'sections[0]: fact needs string name and value',
    ]);
  });

  it('escapes Markdown and card functions in text it did not write', () => {
    const evil = '**bold** [click](https://evil.example) _x_ {{DATE(2017-02-14T06:08:39Z)}}';
    const alert = makeAlert({ advisory: makeAdvisory({ title: evil }) });
    const msg = buildTeamsMessages(alert, clock.now())[0] as AdaptiveCardMessage;
    const header = String(msg.attachments[0].content.body[0]?.text);
    expect(header).toContain(escapeCardText(evil));
    expect(header).not.toContain('[click](');
    expect(header).not.toContain('**bold**');
    expect(header).not.toContain('{{');
    expect(msg.attachments[0].contentType).toBe(ADAPTIVE_CARD_CONTENT_TYPE);
  });

  it('retries on 429 and 503 honouring Retry-After', async () => {
    replies = [{ status: 429, headers: { 'retry-after': '7' }, body: 'Too many requests' }];
    expect(await createTeamsChannel({ url: `${server.url}${PATH}` }).send(makeAlert(), ctx())).toMatchObject({ status: 'retry', afterMs: 7_000 });
    replies = [{ status: 503, headers: { 'retry-after': 'Tue, 12 Aug 2025 09:01:00 GMT' }, body: '' }];
    expect(await createTeamsChannel({ url: `${server.url}${PATH}` }).send(makeAlert(), ctx())).toMatchObject({ status: 'retry', afterMs: 60_000 });
  });

  it.each([404, 410])('fails on %i saying the endpoint is gone, never showing the URL secret', async (status) => {
    replies = [{ status, body: `workflow ${PATH} not found` }];
    const result = await createTeamsChannel({ url: `${server.url}${PATH}` }).send(makeAlert(), ctx());
    expect(result.status).toBe('failed');
    const reason = result.status === 'failed' ? result.reason : '';
    expect(reason).toMatch(/gone/);
    expect(reason).toContain(new URL(server.url).host);
    expect(reason).not.toContain('S3cr3tSig');
    expect(reason).not.toContain('/workflows/4f1c0e');
  });

  it('is configured as channel: teams with urlEnv and format', async () => {
    const sub = { id: 'ops-teams', channel: 'teams', urlEnv: 'TEAMS_URL', format: 'messagecard' };
    expect(() => resolveConfig({ subscriptions: [sub] }, { env: {}, baseDir: '/tmp' })).toThrow(/TEAMS_URL is not set/);
    const config = resolveConfig({ subscriptions: [sub] }, { env: { TEAMS_URL: `${server.url}${PATH}` }, baseDir: '/tmp' });
    const channel = createChannel(config.subscriptions[0]!, { emailFrom: 'x@example.org', emailTransport: { kind: 'outbox', dir: '/tmp/unused' } });
    expect(channel.kind).toBe('teams');
    expect(await channel.send(makeAlert(), ctx())).toEqual({ status: 'sent' });
    expect((JSON.parse(server.requests[0]!.body) as MessageCard)['@type']).toBe('MessageCard');
    expect(resolveConfig({ subscriptions: [{ ...sub, format: undefined }] }, { env: { TEAMS_URL: 'https://x.example/y' } }).subscriptions[0]).toMatchObject({ format: 'adaptive' });
  });

  it('retries when the endpoint cannot be reached, without the URL secret', async () => {
    const dead = createHttpClient({ timeoutMs: 2_000, maxBytes: 1 << 20, maxRedirects: 0, userAgent: 't', allowPrivateHosts: ['127.0.0.1'] });
    try {
      const result = await createTeamsChannel({ url: `http://127.0.0.1:1${PATH}` }).send(makeAlert(), { ...ctx(), http: dead });
      expect(result.status).toBe('retry');
      expect(JSON.stringify(result)).not.toContain('S3cr3tSig');
    } finally {
      await dead.close();
    }
  });
});
