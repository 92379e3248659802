import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhook } from '../../src/deliver/webhook/standard-webhooks.js';

const secret = `whsec_${Buffer.from('a-32-byte-secret-for-the-tests!!').toString('base64')}`;
const body = '{"type":"advisory.new","data":{"id":"CVE-2025-53786"}}';
const timestamp = 1_754_600_000;
const now = new Date(timestamp * 1000);

/** The spec's computation done here by hand, independent of the code under test. */
function independentSignature(id: string, ts: number, payload: string, whsec: string): string {
  const key = Buffer.from(whsec.replace(/^whsec_/, ''), 'base64');
  return createHmac('sha256', key).update(`${id}.${ts}.${payload}`).digest('base64');
}

describe('signWebhook', () => {
  it('produces the three Standard Webhooks headers, signature checked independently', () => {
    const headers = signWebhook({ id: 'msg_1', timestamp, body, secret });
    expect(headers['webhook-id']).toBe('msg_1');
    expect(headers['webhook-timestamp']).toBe(String(timestamp));
    expect(headers['webhook-signature']).toBe(`v1,${independentSignature('msg_1', timestamp, body, secret)}`);
  });

  it('matches the reference libraries’ published test vector', () => {
    // From the standard-webhooks reference library tests (JavaScript/Python/Go share it).
    const headers = signWebhook({
      id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      timestamp: 1614265330,
      body: '{"test": 2432232314}',
      secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    });
    expect(headers['webhook-signature']).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('signs bytes and the equivalent string identically', () => {
    const a = signWebhook({ id: 'x', timestamp, body, secret });
    const b = signWebhook({ id: 'x', timestamp, body: new TextEncoder().encode(body), secret });
    expect(a).toEqual(b);
  });

  it('refuses a secret that is not base64, without echoing it', () => {
    expect(() => signWebhook({ id: 'x', timestamp, body, secret: 'whsec_not base64!' })).toThrow(/not whsec_<base64>/);
    expect(() => signWebhook({ id: 'x', timestamp, body, secret: 'whsec_not base64!' })).not.toThrow(/not base64!/);
  });
});

describe('verifyWebhook', () => {
  const headers = signWebhook({ id: 'msg_1', timestamp, body, secret });

  it('round-trips', () => {
    expect(verifyWebhook(headers, body, secret, { now })).toEqual({ ok: true, id: 'msg_1', timestamp });
  });

  it('accepts fetch Headers and node-style header records', () => {
    expect(verifyWebhook(new Headers({ ...headers }), body, secret, { now }).ok).toBe(true);
    expect(verifyWebhook({ ...headers, 'webhook-id': ['msg_1'] }, body, secret, { now }).ok).toBe(true);
  });

  it('fails with the wrong secret', () => {
    const other = `whsec_${randomBytes(32).toString('base64')}`;
    expect(verifyWebhook(headers, body, other, { now })).toEqual({ ok: false, reason: 'no-matching-signature' });
  });

  it('fails for a tampered body', () => {
    expect(verifyWebhook(headers, body.replace('new', 'old'), secret, { now })).toEqual({ ok: false, reason: 'no-matching-signature' });
  });

  it('fails for a tampered id (the id is signed too)', () => {
    expect(verifyWebhook({ ...headers, 'webhook-id': 'msg_2' }, body, secret, { now }).ok).toBe(false);
  });

  it('fails for a timestamp outside the tolerance, either way', () => {
    const late = new Date((timestamp + 301) * 1000);
    const early = new Date((timestamp - 301) * 1000);
    expect(verifyWebhook(headers, body, secret, { now: late })).toEqual({ ok: false, reason: 'timestamp-out-of-tolerance' });
    expect(verifyWebhook(headers, body, secret, { now: early })).toEqual({ ok: false, reason: 'timestamp-out-of-tolerance' });
    expect(verifyWebhook(headers, body, secret, { now: late, toleranceSec: 600 }).ok).toBe(true);
  });

  it('accepts any one of several space-separated signatures and ignores other versions', () => {
    const good = headers['webhook-signature'];
    const multi = { ...headers, 'webhook-signature': `v1a,abc v1,${Buffer.alloc(32).toString('base64')} ${good}` };
    expect(verifyWebhook(multi, body, secret, { now }).ok).toBe(true);
    const none = { ...headers, 'webhook-signature': `v2,${good.slice(3)} v1,short` };
    expect(verifyWebhook(none, body, secret, { now }).ok).toBe(false);
  });

  it('reports missing headers and a malformed timestamp', () => {
    const { 'webhook-signature': _sig, ...unsigned } = headers;
    expect(verifyWebhook(unsigned, body, secret, { now })).toEqual({ ok: false, reason: 'missing-header' });
    expect(verifyWebhook({ ...headers, 'webhook-timestamp': '1e9' }, body, secret, { now })).toEqual({ ok: false, reason: 'invalid-timestamp' });
  });
});
