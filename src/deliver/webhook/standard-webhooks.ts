// Standard Webhooks 1.0 signing scheme: https://www.standardwebhooks.com/
// (spec: https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md)
import { createHmac, timingSafeEqual } from 'node:crypto';

const SECRET_PREFIX = 'whsec_';

/** The three headers a Standard Webhooks sender adds (a type alias, so it passes as a header record too). */
export type WebhookHeaders = {
  readonly 'webhook-id': string;
  readonly 'webhook-timestamp': string;
  readonly 'webhook-signature': string;
};

/** Everything the signature covers, plus the key. */
export interface SignInput {
  /** Stable per message (not per attempt), so receivers can deduplicate retries. */
  readonly id: string;
  /** Unix seconds of this attempt. */
  readonly timestamp: number;
  /** The exact body bytes sent: the signature is over these, never a re-serialisation. */
  readonly body: string | Uint8Array;
  /**
   * `whsec_<base64>`; the HMAC key is the base64-decoded part. Several during a rotation: one
   * `v1,` signature each, space-separated, so receivers holding either secret verify.
   */
  readonly secret: string | readonly string[];
}

/** Headers for one attempt; pure, so a retry with the same clock reading signs identically. */
export function signWebhook(input: SignInput): WebhookHeaders {
  if (!Number.isSafeInteger(input.timestamp) || input.timestamp < 0) {
    throw new RangeError('webhook timestamp must be a non-negative integer of unix seconds');
  }
  const timestamp = String(input.timestamp);
  const secrets: readonly string[] = typeof input.secret === 'string' ? [input.secret] : input.secret;
  if (secrets.length === 0) throw new TypeError('webhook signing needs at least one secret');
  return {
    'webhook-id': input.id,
    'webhook-timestamp': timestamp,
    'webhook-signature': secrets.map((sec) => `v1,${hmac(decodeSecret(sec), input.id, timestamp, input.body).toString('base64')}`).join(' '),
  };
}

/** Anything header-like: fetch `Headers`, or node's IncomingHttpHeaders (keys lower-case). */
export type HeaderSource = { get(name: string): string | null } | Readonly<Record<string, string | readonly string[] | undefined>>;

/** Why verification failed, for the receiver's logs (never echo the expected signature). */
export type VerifyFailure =
  | 'missing-header'
  | 'invalid-secret'
  | 'invalid-timestamp'
  | 'timestamp-out-of-tolerance'
  | 'no-matching-signature';

/** Why a request did or did not verify; a value, since a bad signature is an expected outcome. */
export type VerifyResult = { readonly ok: true; readonly id: string; readonly timestamp: number } | { readonly ok: false; readonly reason: VerifyFailure };

/** Time comes from the caller's clock, so verification is deterministic under test. */
export interface VerifyOptions {
  readonly now: Date;
  /** Accepted clock difference either way (replay window); the spec suggests 5 minutes. */
  readonly toleranceSec?: number;
}

/** Receiver side: any one `v1` entry matching (constant-time) within the time window is enough. */
export function verifyWebhook(headers: HeaderSource, body: string | Uint8Array, secret: string, options: VerifyOptions): VerifyResult {
  const id = header(headers, 'webhook-id');
  const ts = header(headers, 'webhook-timestamp');
  const sig = header(headers, 'webhook-signature');
  if (id === undefined || ts === undefined || sig === undefined) return { ok: false, reason: 'missing-header' };
  if (!/^\d{1,15}$/.test(ts)) return { ok: false, reason: 'invalid-timestamp' };
  const timestamp = Number(ts);
  const tolerance = options.toleranceSec ?? 300;
  if (Math.abs(Math.floor(options.now.getTime() / 1000) - timestamp) > tolerance) {
    return { ok: false, reason: 'timestamp-out-of-tolerance' };
  }
  let key: Buffer;
  try {
    key = decodeSecret(secret);
  } catch {
    return { ok: false, reason: 'invalid-secret' };
  }
  const expected = hmac(key, id, ts, body);
  for (const entry of sig.split(' ')) {
    const comma = entry.indexOf(',');
    if (comma < 0 || entry.slice(0, comma) !== 'v1') continue; // other versions (v1a…) are not ours
    const given = Buffer.from(entry.slice(comma + 1), 'base64');
    if (given.length === expected.length && timingSafeEqual(given, expected)) return { ok: true, id, timestamp };
  }
  return { ok: false, reason: 'no-matching-signature' };
}

/** `whsec_` is optional on input; what follows must be non-empty base64. */
function decodeSecret(secret: string): Buffer {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) throw new TypeError('webhook secret is not whsec_<base64>');
  const key = Buffer.from(encoded, 'base64');
  if (key.length === 0) throw new TypeError('webhook secret decodes to an empty key');
  return key;
}

function hmac(key: Buffer, id: string, timestamp: string, body: string | Uint8Array): Buffer {
  return createHmac('sha256', key).update(`${id}.${timestamp}.`).update(body).digest();
}

function header(headers: HeaderSource, name: string): string | undefined {
  if (typeof headers.get === 'function') return (headers as { get(n: string): string | null }).get(name) ?? undefined;
  const value = (headers as Readonly<Record<string, string | readonly string[] | undefined>>)[name];
  return typeof value === 'string' ? value : value?.[0];
}
