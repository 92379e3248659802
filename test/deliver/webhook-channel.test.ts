import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DeliveryContext } from '../../src/deliver/channel.js';
import { verifyWebhook } from '../../src/deliver/webhook/standard-webhooks.js';
import { createWebhookChannel, parseRetryAfter } from '../../src/deliver/webhook/webhook-channel.js';
import type { WebhookPayload } from '../../src/deliver/webhook/payload.js';
import { createHttpClient, type HttpClient } from '../../src/net/http-client.js';
import { fixedClock } from '../../src/util/clock.js';
import { silentLogger } from '../../src/util/logger.js';
import { makeAlert } from '../helpers/alert-factory.js';

const SECRET = `whsec_${Buffer.from('receiver-and-sender-share-this-key').toString('base64')}`;
const TOKEN = 'tok3n-in-the-query-string';

interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}
interface Reply {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

let server: Server;
let base: string;
let reply: Reply = { status: 204 };
let received: Received[] = [];

const clock = fixedClock('2025-08-08T09:00:00Z');
const clientOptions = { timeoutMs: 5_000, maxBytes: 1 << 20, maxRedirects: 2, userAgent: 'secwatch-test' };
let http: HttpClient;
const ctx = (): DeliveryContext => ({ http, clock, log: silentLogger });

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(reply.status, reply.headers ?? {});
      res.end(reply.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  http = createHttpClient({ ...clientOptions, allowPrivateHosts: ['127.0.0.1'] });
});

afterEach(() => {
  reply = { status: 204 };
  received = [];
  clock.set('2025-08-08T09:00:00Z');
});

afterAll(async () => {
  await http.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** What a receiver does, written out with node:crypto so it does not trust the code under test. */
function independentlyVerifies(r: Received, secret: string): boolean {
  const id = String(r.headers['webhook-id']);
  const ts = String(r.headers['webhook-timestamp']);
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${ts}.`).update(r.body).digest('base64');
  return String(r.headers['webhook-signature']).split(' ').includes(`v1,${expected}`);
}

describe('webhook channel', () => {
  it('posts a signed JSON alert the receiver can verify', async () => {
    const alert = makeAlert();
    const channel = createWebhookChannel({ url: `${base}/hooks/secwatch`, secret: SECRET });
    await expect(channel.send(alert, ctx())).resolves.toEqual({ status: 'sent' });

    expect(received).toHaveLength(1);
    const r = received[0]!;
    expect(r.headers['content-type']).toBe('application/json');
    expect(r.headers['webhook-id']).toBe(alert.id);
    expect(r.headers['webhook-timestamp']).toBe(String(Date.parse('2025-08-08T09:00:00Z') / 1000));
    expect(independentlyVerifies(r, SECRET)).toBe(true);
    expect(verifyWebhook(r.headers, r.body, SECRET, { now: clock.now() }).ok).toBe(true);

    const wrong = `whsec_${Buffer.from('some-other-secret-of-the-same-size!').toString('base64')}`;
    expect(independentlyVerifies(r, wrong)).toBe(false);
    expect(verifyWebhook(r.headers, r.body, wrong, { now: clock.now() }).ok).toBe(false);

    const payload = JSON.parse(r.body.toString('utf8')) as WebhookPayload;
    expect(payload.type).toBe('advisory.created');
    expect(payload.timestamp).toBe('2025-08-08T09:00:00.000Z');
    expect(payload.data).toMatchObject({
      id: 'CVE-2025-53786',
      severity: 'critical',
      severitySource: 'kev',
      cves: ['CVE-2025-53786'],
      applyBy: '2025-08-11',
      applyByRule: 'kev:dueDate',
      exploited: { kev: { dueDate: '2025-08-11', ransomware: true } },
      remediation: { kbs: ['KB5050009'] },
      matches: [
        {
          item: { name: 'Exchange 2019', collection: 'mail', location: 'dc1/mail', instances: 3, version: '15.2.1544.14' },
          confidence: 'high',
          applyBy: '2025-08-11',
          applyByRule: 'kev:dueDate',
        },
      ],
    });
    expect(payload.data.advisory.title).toBe(alert.advisory.title);
  });

  it('keeps the webhook-id across retries and re-signs with the new time', async () => {
    const alert = makeAlert({ change: 'revised' });
    const channel = createWebhookChannel({ url: `${base}/hook`, secret: SECRET });
    await channel.send(alert, ctx());
    clock.set('2025-08-08T09:05:00Z');
    await channel.send(alert, ctx());
    expect(received.map((r) => r.headers['webhook-id'])).toEqual([alert.id, alert.id]);
    expect(received[1]!.headers['webhook-timestamp']).not.toBe(received[0]!.headers['webhook-timestamp']);
    expect(received.every((r) => independentlyVerifies(r, SECRET))).toBe(true);
    expect((JSON.parse(received[1]!.body.toString('utf8')) as WebhookPayload).type).toBe('advisory.updated');
  });

  it('retries a 500 after the Retry-After seconds', async () => {
    reply = { status: 500, headers: { 'retry-after': '7' }, body: 'busy' };
    const result = await createWebhookChannel({ url: `${base}/hook`, secret: SECRET }).send(makeAlert(), ctx());
    expect(result).toMatchObject({ status: 'retry', afterMs: 7000 });
    expect(result.status === 'retry' && result.reason).toMatch(/HTTP 500/);
  });

  it('retries a 503 with an HTTP-date Retry-After measured from the injected clock', async () => {
    reply = { status: 503, headers: { 'retry-after': 'Fri, 08 Aug 2025 09:02:00 GMT' } };
    const result = await createWebhookChannel({ url: `${base}/hook`, secret: SECRET }).send(makeAlert(), ctx());
    expect(result).toMatchObject({ status: 'retry', afterMs: 120_000 });
  });

  it.each([408, 429])('retries %i without Retry-After, leaving the wait to the runner', async (status) => {
    reply = { status };
    const result = await createWebhookChannel({ url: `${base}/hook`, secret: SECRET }).send(makeAlert(), ctx());
    expect(result.status).toBe('retry');
    expect(result).not.toHaveProperty('afterMs');
  });

  it('stops on 410 Gone', async () => {
    reply = { status: 410 };
    const result = await createWebhookChannel({ url: `${base}/hook`, secret: SECRET }).send(makeAlert(), ctx());
    expect(result.status).toBe('failed');
    expect(result.status === 'failed' && result.reason).toMatch(/410 Gone/);
  });

  it('fails other 4xx with the status, never echoing the secret or the query string', async () => {
    reply = { status: 400, body: `bad request to /hook?token=${TOKEN} signed with ${SECRET}` };
    const result = await createWebhookChannel({ url: `${base}/hook?token=${TOKEN}`, secret: SECRET }).send(makeAlert(), ctx());
    expect(result.status).toBe('failed');
    const reason = result.status === 'failed' ? result.reason : '';
    expect(reason).toMatch(/HTTP 400/);
    expect(reason).not.toContain(TOKEN);
    expect(reason).not.toContain(SECRET.slice('whsec_'.length));
  });

  it('retries when the connection is refused', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const result = await createWebhookChannel({ url: `http://127.0.0.1:${port}/hook?token=${TOKEN}`, secret: SECRET }).send(makeAlert(), ctx());
    expect(result.status).toBe('retry');
    const reason = result.status === 'retry' ? result.reason : '';
    expect(reason).toMatch(/connect/);
    expect(reason).not.toContain(TOKEN);
  });

  it('fails, with a clear reason, when the SSRF guard refuses a loopback target', async () => {
    const guarded = createHttpClient(clientOptions); // no allowPrivateHosts
    try {
      const result = await createWebhookChannel({ url: `${base}/hook`, secret: SECRET }).send(makeAlert(), { ...ctx(), http: guarded });
      expect(result.status).toBe('failed');
      expect(result.status === 'failed' && result.reason).toMatch(/SSRF guard.*127\.0\.0\.1 is a private or loopback address/);
      expect(received).toHaveLength(0);
    } finally {
      await guarded.close();
    }
  });

  it('fails a target that is not an http(s) URL without sending', async () => {
    const result = await createWebhookChannel({ url: 'ftp://example.com/x', secret: SECRET }).send(makeAlert(), ctx());
    expect(result).toEqual({ status: 'failed', reason: 'webhook target is not an http(s) URL' });
  });
});

describe('parseRetryAfter', () => {
  const now = new Date('2025-08-08T09:00:00Z');
  it('reads seconds, HTTP dates, and rejects the rest', () => {
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter(' 120 ', now)).toBe(120_000);
    expect(parseRetryAfter('Fri, 08 Aug 2025 09:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Fri, 08 Aug 2025 08:00:00 GMT', now)).toBe(0); // in the past: now
    expect(parseRetryAfter('99999999', now)).toBe(24 * 60 * 60 * 1000); // clamped
    expect(parseRetryAfter('7.5', now)).toBeUndefined();
    expect(parseRetryAfter('-3', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});
