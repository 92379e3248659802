// Output safety: one hostile advisory (markup, chat mentions, Markdown, template braces, CRLF
// header injection, javascript: links in every field we render) sent through the real channels —
// an SMTP server, HTTP receivers for Slack, Teams and the webhook — and through the feed and page
// renderers; each test reads the bytes that arrived.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { simpleParser } from 'mailparser';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { resolveConfig } from '../../src/config/load.js';
import type { Channel, DeliveryContext } from '../../src/deliver/channel.js';
import { createEmailChannel } from '../../src/deliver/email/email-channel.js';
import { createSlackChannel } from '../../src/deliver/slack/slack-channel.js';
import { MESSAGE_CARD_SUMMARY_MAX, messageCardSummary } from '../../src/deliver/teams/markdown.js';
import { createTeamsChannel } from '../../src/deliver/teams/teams-channel.js';
import { createWebhookChannel } from '../../src/deliver/webhook/webhook-channel.js';
import { buildAtomFeed } from '../../src/feed/atom.js';
import { buildJsonFeed } from '../../src/feed/json-feed.js';
import { createMetrics } from '../../src/http/metrics.js';
import { buildServer } from '../../src/http/server.js';
import { actionPage, html, page } from '../../src/http/pages.js';
import { createHttpClient, type HttpClient } from '../../src/net/http-client.js';
import type { StoredAdvisory } from '../../src/store/store.js';
import { fixedClock } from '../../src/util/clock.js';
import { silentLogger } from '../../src/util/logger.js';
import { makeAdvisory, makeAlert, makeMatch } from '../helpers/alert-factory.js';
import { startServer, type TestServer } from '../helpers/http-server.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.js';

const INJECT = '\r\nBcc: victim@evil.example\r\nX-Injected: yes';
const TITLE = `<script>alert(1)</script> *bold* _it_ <!channel> <https://evil.example|click> {{DATE(2025-01-01T00:00:00Z)}} & "q"${INJECT}`;
const ITEM = `<img src=x onerror=alert(2)> [link](javascript:alert(5))\nSubject: hacked`;
const hostileAlert = makeAlert({
  advisory: makeAdvisory({
    title: TITLE,
    url: 'javascript:alert(3)',
    summary: `</td></tr></table><script>alert(4)</script> <!here>${INJECT}`,
    remediation: { action: `<b onmouseover=alert(6)>patch</b> # heading\n- list`, url: 'data:text/html,<script>alert(7)</script>', kbs: ['KB<1>'] },
  }),
  matches: [makeMatch({ item: { ...makeMatch().item, name: ITEM, location: '<svg/onload=alert(8)>' } })],
});

/** What an unescaped rendering would carry: tags a browser acts on. (The words themselves may stay, as text.) */
const ACTIVE = [/<script/i, /<img/i, /<svg/i, /<b\s/i];

let smtp: SmtpSink;
let receiver: TestServer;
let http: HttpClient;
const channels: Channel[] = [];
const ctx = (): DeliveryContext => ({ http, clock: fixedClock('2025-08-08T09:00:00Z'), log: silentLogger });

beforeAll(async () => {
  smtp = await startSmtpSink();
  receiver = await startServer((_req, res) => res.writeHead(200).end('ok'));
  http = createHttpClient({ timeoutMs: 5_000, maxBytes: 1 << 20, maxRedirects: 0, userAgent: 'secwatch-test', allowPrivateHosts: ['127.0.0.1'] });
});
afterEach(async () => {
  await Promise.all(channels.splice(0).map(async (c) => c.close?.()));
  receiver.requests.length = 0;
  smtp.messages.length = 0;
});
afterAll(async () => {
  await http.close();
  await Promise.all([smtp.close(), receiver.close()]);
});

function use(c: Channel): Channel {
  channels.push(c);
  return c;
}

/** Every string inside a JSON value. */
function strings(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.flatMap(strings);
  if (v && typeof v === 'object') return Object.values(v).flatMap(strings);
  return [];
}

describe('email', () => {
  it('keeps the hostile title on one Subject line, adds no header or recipient, and escapes the HTML part', async () => {
    const channel = use(
      createEmailChannel({
        from: 'secwatch <secwatch@example.org>',
        to: ['ops@example.org'],
        transport: { kind: 'smtp', url: smtp.url },
        // A List-* header carrying an injection attempt (the link is ours, but prove the header cannot break).
        headers: { 'List-Unsubscribe': `<https://secwatch.example.org/unsubscribe/abc>${INJECT}` },
      }),
    );
    expect((await channel.send(hostileAlert, ctx())).status).toBe('sent');
    expect(smtp.messages).toHaveLength(1);
    const msg = smtp.messages[0]!;
    expect(msg.to).toEqual(['ops@example.org']);
    const headerBlock = msg.raw.slice(0, msg.raw.indexOf('\r\n\r\n'));
    expect(headerBlock).not.toMatch(/^(Bcc|X-Injected|Subject: hacked)/im);
    expect(headerBlock.split('\r\n').filter((l) => /^subject:/i.test(l))).toHaveLength(1);

    const parsed = await simpleParser(msg.raw);
    expect(parsed.subject).not.toMatch(/[\r\n]/);
    expect(parsed.subject).toContain('<script>alert(1)</script>'); // shown as written, as text
    expect(parsed.headers.has('x-injected')).toBe(false);
    expect(parsed.bcc).toBeUndefined();
    // The attempt stays inside its own (folded) header value.
    expect(headerBlock).toMatch(/^List-Unsubscribe: <https:\/\/secwatch\.example\.org\/unsubscribe\/abc>/m);

    const body = parsed.html || '';
    expect(body.length).toBeGreaterThan(500);
    for (const re of ACTIVE) expect(body, String(re)).not.toMatch(re);
    expect(body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(body).toContain('&lt;img src');
    expect(body).toContain('&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;');
    const hrefs = [...body.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!);
    for (const h of hrefs) expect(h, 'every link is http(s)').toMatch(/^https?:\/\//);
  });
});

describe('email addresses', () => {
  const hostile = ['ops@example.org\r\nBcc: victim@evil.example', 'ops@example.org, victim@evil.example', 'Ops <ops@example.org>\nX-Injected: yes'];

  it('an address with CR/LF or a second recipient is refused in the config and by the API, before any mail', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'secwatch-addr-'));
    writeFileSync(join(dir, 'inventory.yaml'), 'items: []\n');
    const raw = (to: string) => ({ dataDir: dir, store: { url: 'sqlite::memory:' }, inventory: { files: [join(dir, 'inventory.yaml')] }, subscriptions: [{ id: 'ops', channel: 'email', to: [to] }] });
    for (const to of hostile) expect(() => resolveConfig(raw(to), { baseDir: dir, env: {} }), to).toThrow(/subscriptions/);

    const config = resolveConfig({ ...raw('ops@example.org'), subscriptions: [] }, { baseDir: dir, env: { SECWATCH_ADMIN_TOKEN: 'address-test-token-0123456789' } });
    const app = await createApp(config, { log: silentLogger });
    const { server } = buildServer({ ...app, metrics: createMetrics(app.store, app.sources) });
    try {
      for (const target of hostile) {
        const res = await server.inject({ method: 'POST', url: '/subscriptions', headers: { authorization: 'Bearer address-test-token-0123456789' }, payload: { channel: 'email', target } });
        expect(res.statusCode, target).toBe(400);
        const pub = await server.inject({ method: 'POST', url: '/subscriptions/email', payload: { email: target } });
        expect(pub.statusCode, target).toBe(400);
      }
      expect(await app.store.listSubscriptions()).toEqual([]);
    } finally {
      await server.close();
      await app.close();
    }
  });
});

describe('Slack', () => {
  it('escapes &, < and > in every mrkdwn text and the notification text: no mention, no link, no markup', async () => {
    const result = await use(createSlackChannel({ url: `${receiver.url}/services/T0/B0/x` })).send(hostileAlert, ctx());
    expect(result.status).toBe('sent');
    const msg = JSON.parse(receiver.requests[0]!.body) as { text: string; blocks: Array<{ type: string; text?: { type: string; text: string }; elements?: Array<{ url: string }> }> };
    const mrkdwn = [msg.text, ...msg.blocks.flatMap((b) => (b.text?.type === 'mrkdwn' ? [b.text.text] : []))];
    expect(mrkdwn.join('\n')).toContain('&lt;!channel&gt;');
    for (const t of mrkdwn) {
      expect(t).not.toMatch(/[<>]/);
      expect(t).not.toMatch(/&(?!amp;|lt;|gt;)/);
    }
    const buttons = msg.blocks.flatMap((b) => b.elements ?? []).map((e) => e.url);
    for (const u of buttons) expect(u).toMatch(/^https?:\/\//);
  });
});

describe('Teams', () => {
  it.each(['adaptive', 'messagecard'] as const)('%s: Markdown and template braces are literal, links only http(s)', async (format) => {
    const result = await use(createTeamsChannel({ url: `${receiver.url}/webhookb2/x`, format })).send(hostileAlert, ctx());
    expect(result.status).toBe('sent');
    const body = receiver.requests[0]!.body;
    // A MessageCard's `summary` is the plain-text notification line: checked on its own below.
    const { summary, ...card } = JSON.parse(body) as Record<string, unknown>;
    const texts = strings(card);
    const all = texts.join('\n');
    expect(all).toContain('\\*bold\\*');
    expect(all).not.toContain('{{DATE(');
    expect(all).not.toMatch(/(?<!\\)\]\((?!https?:)/); // an unescaped Markdown link to anything but http(s)
    expect(all).not.toMatch(/[\r\n]X-Injected/);
    if (format === 'messagecard') {
      for (const re of ACTIVE) expect(all, String(re)).not.toMatch(re);
      expect(all).toContain('&lt;script&gt;');
      // The notification line: one line, no markup a client could act on, short, the title still readable.
      expect(typeof summary).toBe('string');
      const line = summary as string;
      // eslint-disable-next-line no-control-regex -- looking for control characters is the point
      expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
      expect(line).not.toMatch(/[<>]/);
      expect(line).not.toMatch(/&(?!amp;|lt;|gt;)/);
      expect(line).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(line.replace(/&(?:amp|lt|gt);/g, '&').length).toBeLessThanOrEqual(MESSAGE_CARD_SUMMARY_MAX); // the cap counts the text, not its escapes
    }
    // Buttons and links (Action.OpenUrl, potentialAction targets) only ever point to http(s).
    const urls = [...body.matchAll(/"(?:url|uri)":"([^"]*)"/g)].map((m) => m[1]!);
    for (const u of urls) expect(u).toMatch(/^https?:\/\//);
  });
});

describe('Teams MessageCard summary', () => {
  it('drops line breaks, C1 and bidi controls, escapes markup and cuts long text outside an entity', () => {
    expect(messageCardSummary('a\r\nBcc: x\u0085y \u202egnp.exe\u202c <b>&')).toBe('a Bcc: x y gnp.exe &lt;b&gt;&amp;');
    const long = messageCardSummary(`${'x'.repeat(MESSAGE_CARD_SUMMARY_MAX - 2)}<<<<`);
    expect(long).toBe(`${'x'.repeat(MESSAGE_CARD_SUMMARY_MAX - 2)}&lt;…`);
  });
});

describe('webhook', () => {
  it('carries the hostile text as data: valid JSON, byte-exact after parsing, nothing in the headers', async () => {
    const secret = 'whsec_' + Buffer.from('output-safety-secret-0123456789ab').toString('base64');
    const result = await use(createWebhookChannel({ url: `${receiver.url}/hook`, secret })).send(hostileAlert, ctx());
    expect(result.status).toBe('sent');
    const req = receiver.requests[0]!;
    const payload = JSON.parse(req.body) as { data?: { advisory?: { title?: string } }; advisory?: { title?: string } };
    expect(strings(payload)).toContain(TITLE);
    expect(req.body).not.toMatch(/[\r\n]/); // JSON.stringify escapes CR/LF inside strings
    expect(Object.keys(req.headers)).not.toContain('x-injected');
  });
});

describe('feeds and pages', () => {
  const stored: StoredAdvisory = { advisory: hostileAlert.advisory, firstSeen: '2025-08-07T00:00:00Z', updatedAt: '2025-08-07T00:00:00Z' };
  const feed = buildJsonFeed([{ stored, matches: hostileAlert.matches }], { title: 'secwatch <b>test</b> & co' }, { rules: [], clockStart: 'release' });

  it('Atom: well-formed XML whatever the advisory holds; markup only as escaped text', () => {
    const xml = buildAtomFeed(feed, 'https://secwatch.example.org/feed.atom', 'urn:secwatch:test');
    expect(XMLValidator.validate(xml)).toBe(true);
    for (const re of ACTIVE) expect(xml, String(re)).not.toMatch(re);
    expect(xml).toContain('&lt;script&gt;');
  });

  it('JSON Feed: no content_html at all (text only), so a reader never renders advisory markup', () => {
    const json = JSON.stringify(feed);
    expect(json).not.toContain('content_html');
    expect(feed.items[0]?.title).toContain('<script>'); // text, as written
  });

  it('HTML pages escape every interpolated value', () => {
    const hostile = `<script>alert(1)</script>"'&`;
    const out = [page(hostile, html`<p>${hostile}</p>`), actionPage(hostile, hostile, `/unsubscribe/x"><script>alert(2)</script>`, hostile)].join('\n');
    for (const re of ACTIVE) expect(out, String(re)).not.toMatch(re);
    expect(out).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(out).not.toMatch(/"><script/i);
  });
});
