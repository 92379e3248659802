// Secret rotation: during a rotation every message carries one `v1,` signature per secret, so a
// receiver still on the old secret and one already on the new both accept it. The receivers here
// are real HTTP servers that check the signature with node:crypto alone and refuse stale timestamps.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/load.js';
import type { DeliveryContext } from '../../src/deliver/channel.js';
import { createChannel } from '../../src/deliver/registry.js';
import type { WebhookPayload } from '../../src/deliver/webhook/payload.js';
import { createHttpClient, type HttpClient } from '../../src/net/http-client.js';
import { fixedClock } from '../../src/util/clock.js';
import { silentLogger } from '../../src/util/logger.js';
import { makeAdvisory, makeAlert } from '../helpers/alert-factory.js';
import { startServer, type TestServer } from '../helpers/http-server.js';

const OLD = `whsec_${Buffer.from('the-secret-we-are-retiring-now!').toString('base64')}`;
const NEW = `whsec_${Buffer.from('the-secret-everyone-moves-to-42').toString('base64')}`;
const OTHER = `whsec_${Buffer.from('a-secret-nobody-configured-here').toString('base64')}`;
const TOLERANCE_S = 300;

const senderClock = fixedClock('2025-08-08T09:00:00Z');
/** The receiver's own idea of now; moved to make the sender's timestamp stale. */
let receiverNow = new Date('2025-08-08T09:00:00Z');
let http: HttpClient;
const ctx = (): DeliveryContext => ({ http, clock: senderClock, log: silentLogger });

/** A receiver holding one secret: 204 when a v1 signature verifies within the window, else 401 with why. */
async function receiver(secret: string): Promise<TestServer> {
  return startServer((req, res, body) => {
    const id = String(req.headers['webhook-id'] ?? '');
    const ts = String(req.headers['webhook-timestamp'] ?? '');
    const sigs = String(req.headers['webhook-signature'] ?? '').split(' ');
    if (!/^\d+$/.test(ts) || Math.abs(Math.floor(receiverNow.getTime() / 1000) - Number(ts)) > TOLERANCE_S) {
      res.writeHead(401).end('stale timestamp');
      return;
    }
    const expected = createHmac('sha256', Buffer.from(secret.slice('whsec_'.length), 'base64')).update(`${id}.${ts}.${body}`).digest();
    const ok = sigs.some((s) => {
      if (!s.startsWith('v1,')) return false;
      const given = Buffer.from(s.slice(3), 'base64');
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
    res.writeHead(ok ? 204 : 401).end(ok ? '' : 'bad signature');
  });
}

let onOld: TestServer;
let onNew: TestServer;
let onOther: TestServer;

beforeAll(async () => {
  [onOld, onNew, onOther] = await Promise.all([receiver(OLD), receiver(NEW), receiver(OTHER)]);
  http = createHttpClient({ timeoutMs: 5_000, maxBytes: 1 << 20, maxRedirects: 0, userAgent: 'secwatch-test', allowPrivateHosts: ['127.0.0.1'] });
});
afterEach(() => {
  receiverNow = new Date('2025-08-08T09:00:00Z');
  for (const s of [onOld, onNew, onOther]) s.requests.length = 0;
});
afterAll(async () => {
  await http.close();
  await Promise.all([onOld, onNew, onOther].map((s) => s.close()));
});

/** The webhook channel exactly as `secwatch` builds it from config and environment. */
function channelFor(url: string, secretValue: string) {
  const config = resolveConfig(
    { subscriptions: [{ id: 'siem', channel: 'webhook', urlEnv: 'HOOK_URL', secretEnv: 'HOOK_SECRETS', matchedOnly: false }] },
    { env: { HOOK_URL: url, HOOK_SECRETS: secretValue }, baseDir: '/tmp' },
  );
  const sub = config.subscriptions[0]!;
  return createChannel(sub, { emailFrom: 'x@example.org', emailTransport: { kind: 'outbox', dir: '/tmp/unused' } });
}

describe('webhook secret rotation', () => {
  it('signs with every configured secret, so receivers on the old and on the new secret both accept', async () => {
    for (const r of [onOld, onNew]) {
      const result = await channelFor(`${r.url}/hook`, `${NEW}, ${OLD}`).send(makeAlert(), ctx());
      expect(result).toEqual({ status: 'sent' });
      const sig = String(r.requests[0]?.headers['webhook-signature']);
      expect(sig.split(' ')).toHaveLength(2);
      expect(sig.split(' ').every((s) => s.startsWith('v1,'))).toBe(true);
    }
  });

  it('is refused by a receiver holding neither secret', async () => {
    const result = await channelFor(`${onOther.url}/hook`, `${NEW} ${OLD}`).send(makeAlert(), ctx());
    expect(result.status).toBe('failed');
    expect(onOther.requests).toHaveLength(1);
  });

  it('after the rotation (new secret only) the old receiver refuses', async () => {
    expect((await channelFor(`${onOld.url}/hook`, NEW).send(makeAlert(), ctx())).status).toBe('failed');
    expect((await channelFor(`${onNew.url}/hook`, NEW).send(makeAlert(), ctx())).status).toBe('sent');
  });

  it('a stale timestamp is rejected by the receiver even with a valid signature', async () => {
    receiverNow = new Date('2025-08-08T09:10:00Z');
    const result = await channelFor(`${onNew.url}/hook`, `${NEW},${OLD}`).send(makeAlert(), ctx());
    expect(result.status).toBe('failed');
    expect(result.status === 'failed' ? result.reason : '').toContain('stale timestamp');
  });

  it('refuses a config whose secret list holds something that is not whsec_<base64>', () => {
    expect(() => channelFor(`${onNew.url}/hook`, `${NEW}, hunter2!`)).toThrow(/whsec_<base64>/);
  });

  it('sends the issue-8 event types with the Standard Webhooks envelope', async () => {
    const cases = [
      [makeAlert(), 'advisory.created'],
      [makeAlert({ change: 'revised', changes: [{ kind: 'severity-raised', from: 'important', to: 'critical' }] }), 'advisory.updated'],
      [makeAlert({ advisory: makeAdvisory({ kind: 'advance-notice' }) }), 'advance_notice.created'],
      [makeAlert({ change: 'revised', advisory: makeAdvisory({ kind: 'advance-notice' }) }), 'advance_notice.updated'],
    ] as const;
    for (const [alert, type] of cases) {
      await channelFor(`${onNew.url}/hook`, NEW).send(alert, ctx());
      const payload = JSON.parse(onNew.requests.at(-1)!.body) as WebhookPayload;
      expect(payload.type).toBe(type);
      expect(payload.timestamp).toBe(senderClock.now().toISOString());
      expect(payload.data.id).toBe(alert.advisory.id);
      expect(payload.data.changes.map((c) => c.text)).toEqual(alert.change === 'revised' && alert.changes ? ['severity raised from important to critical'] : []);
    }
  });
});
