import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DeliveryContext } from '../../src/deliver/channel.js';
import { SLACK_MAX_BLOCKS, SLACK_MAX_SECTION_TEXT, type SlackMessage } from '../../src/deliver/slack/payload.js';
import { createSlackChannel } from '../../src/deliver/slack/slack-channel.js';
import { createHttpClient, type HttpClient } from '../../src/net/http-client.js';
import { fixedClock } from '../../src/util/clock.js';
import { silentLogger } from '../../src/util/logger.js';
import { makeAlert, makeMatch } from '../helpers/alert-factory.js';
import { startServer, type TestServer } from '../helpers/http-server.js';

const PATH = '/services/T000/B000/s3cr3tT0kenXYZ';
let reply: { status: number; headers?: Record<string, string>; body: string } = { status: 200, body: 'ok' };
let server: TestServer;
let http: HttpClient;
const clock = fixedClock('2025-08-12T09:00:00Z');
const ctx = (): DeliveryContext => ({ http, clock, log: silentLogger });

beforeAll(async () => {
  server = await startServer((_req, res) => {
    res.writeHead(reply.status, reply.headers ?? {});
    res.end(reply.body);
  });
  http = createHttpClient({ timeoutMs: 5_000, maxBytes: 1 << 20, maxRedirects: 2, userAgent: 'secwatch-test', allowPrivateHosts: ['127.0.0.1'] });
});
afterEach(() => {
  reply = { status: 200, body: 'ok' };
  server.requests.length = 0;
});
afterAll(async () => {
  await http.close();
  await server.close();
});

describe('slack channel', () => {
  it('sends Block Kit within Slack limits with a text fallback, even for 200 matched items', async () => {
    const matches = Array.from({ length: 200 }, (_, i) =>
      makeMatch({ item: { ...makeMatch().item, name: `exchange-node-${i}-with-a-rather-long-descriptive-name` } }),
    );
    const result = await createSlackChannel({ url: `${server.url}${PATH}` }).send(makeAlert({ matches }), ctx());
    expect(result).toEqual({ status: 'sent' });
    expect(server.requests).toHaveLength(1);
    const msg = JSON.parse(server.requests[0]?.body ?? '') as SlackMessage;
    expect(msg.text.length).toBeGreaterThan(0);
    expect(msg.blocks.length).toBeLessThanOrEqual(SLACK_MAX_BLOCKS);
    const header = msg.blocks[0];
    expect(header?.type).toBe('header');
    if (header?.type === 'header') expect(header.text.text.length).toBeLessThanOrEqual(150);
    const sections = msg.blocks.flatMap((b) => (b.type === 'section' ? [b.text.text] : []));
    for (const t of sections) expect(t.length).toBeLessThanOrEqual(SLACK_MAX_SECTION_TEXT);
    const all = sections.join('\n');
    expect(all).toMatch(/and \d+ more/);
    expect(all).toContain('2025-08-11');
    expect(all).toMatch(/OVERDUE/i);
    expect(msg.blocks.some((b) => b.type === 'actions')).toBe(true);
  });

  it('retries on 429 honouring Retry-After', async () => {
    reply = { status: 429, headers: { 'retry-after': '30' }, body: 'rate_limited' };
    const result = await createSlackChannel({ url: `${server.url}${PATH}` }).send(makeAlert(), ctx());
    expect(result).toMatchObject({ status: 'retry', afterMs: 30_000 });
  });

  it('fails on 410 and 404 without revealing the URL path', async () => {
    for (const [status, body] of [[410, 'channel_is_archived'], [404, 'no_service']] as const) {
      reply = { status, body: `${body} ${PATH}` };
      const result = await createSlackChannel({ url: `${server.url}${PATH}` }).send(makeAlert(), ctx());
      expect(result.status).toBe('failed');
      if (result.status === 'failed') {
        expect(result.reason).toContain(body);
        expect(result.reason).not.toContain('s3cr3tT0kenXYZ');
        expect(result.reason).not.toContain('/services/');
      }
    }
  });
});
