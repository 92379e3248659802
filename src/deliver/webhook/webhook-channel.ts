// Generic webhook, signed per Standard Webhooks 1.0: https://www.standardwebhooks.com/
// Retry semantics: RFC 9110 §10.2.3 (Retry-After), §15.5.11 (410 Gone: the receiver asks us to stop).
import { FetchError } from '../../errors.js';
import type { PostResult } from '../../net/http-client.js';
import type { Channel, DeliveryContext, DeliveryResult } from '../channel.js';
import { buildWebhookDigest } from '../digest/webhook-digest.js';
import { parseRetryAfter } from '../retry-after.js';
import { buildWebhookPayload } from './payload.js';
import { signWebhook } from './standard-webhooks.js';

export { MAX_RETRY_AFTER_MS, parseRetryAfter } from '../retry-after.js';

/** A resolved webhook subscription: target and secret already taken from the environment. */
export interface WebhookChannelOptions {
  /** User-supplied target: always posted through the SSRF guard. May hold a token in its path or query. */
  readonly url: string;
  /** `whsec_<base64>` shared with the receiver; several while rotating (each signs, new one first). */
  readonly secret: string | readonly string[];
}

const MAX_REASON_BODY = 160;

/** One signed POST per attempt; the webhook-id is alert.id so a receiver can drop duplicates. */
export function createWebhookChannel(options: WebhookChannelOptions): Channel {
  const target = describeTarget(options.url);
  const scrub = scrubber(options);

  /** Sign and POST one body under its webhook-id (a receiver drops a second one with the same id). */
  async function post(id: string, body: string, now: Date, ctx: DeliveryContext): Promise<DeliveryResult> {
    if (!target.ok) return { status: 'failed', reason: 'webhook target is not an http(s) URL' };
    const headers = signWebhook({ id, timestamp: Math.floor(now.getTime() / 1000), body, secret: options.secret });
    let res: PostResult;
    try {
      res = await ctx.http.post(options.url, body, {
        headers: { ...headers },
        userSupplied: true,
        ...(ctx.signal ? { signal: ctx.signal } : {}),
      });
    } catch (err) {
      if (err instanceof FetchError) return fromFetchError(err, target.label, scrub);
      throw err;
    }
    return fromResponse(res, now, target.label, scrub);
  }

  return {
    kind: 'webhook',
    async send(alert, ctx): Promise<DeliveryResult> {
      const now = ctx.clock.now();
      return post(alert.id, JSON.stringify(buildWebhookPayload(alert, now)), now, ctx);
    },
    async sendDigest(digest, ctx): Promise<DeliveryResult> {
      const now = ctx.clock.now();
      return post(digest.id, JSON.stringify(buildWebhookDigest(digest, now)), now, ctx);
    },
  };
}

/** Map an HTTP answer to an outcome: 2xx sent, 410 stop, 408/429/5xx retry, other statuses failed. */
function fromResponse(res: PostResult, now: Date, label: string, scrub: (s: string) => string): DeliveryResult {
  const status = res.status;
  if (status >= 200 && status < 300) return { status: 'sent' };
  if (status === 410) return { status: 'failed', reason: `webhook ${label} answered 410 Gone: the receiver asked us to stop sending` };
  if (status === 408 || status === 429 || status >= 500) {
    const afterMs = parseRetryAfter(res.headers.get('retry-after'), now);
    const reason = `webhook ${label} answered HTTP ${status}${snippet(res.bodyText, scrub)}`;
    return afterMs === undefined ? { status: 'retry', reason } : { status: 'retry', reason, afterMs };
  }
  return { status: 'failed', reason: `webhook ${label} answered HTTP ${status}${snippet(res.bodyText, scrub)}` };
}

/** Transient network trouble retries; the SSRF guard, bad redirects and the like do not. */
function fromFetchError(err: FetchError, label: string, scrub: (s: string) => string): DeliveryResult {
  // FetchError messages start with the (redacted) URL; the label already names the target.
  const detail = scrub(err.message).replace(/^https?:\/\/\S*: /, '');
  if (err.kind === 'blocked') return { status: 'failed', reason: `webhook ${label} refused by the SSRF guard: ${detail}` };
  if (err.retryable) return { status: 'retry', reason: `webhook ${label} unreachable (${err.kind}): ${detail}` };
  return { status: 'failed', reason: `webhook ${label} failed (${err.kind}): ${detail}` };
}

/** A printable name for the target: scheme, host and port only (paths and queries can carry tokens). */
function describeTarget(url: string): { ok: true; label: string } | { ok: false } {
  try {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return { ok: false };
    return { ok: true, label: u.pathname === '/' && !u.search ? u.origin : `${u.origin}/…` };
  } catch {
    return { ok: false };
  }
}

/** Remove anything secret from a message we did not write ourselves (fetch errors, receiver bodies). */
function scrubber(options: WebhookChannelOptions): (s: string) => string {
  const secrets: readonly string[] = typeof options.secret === 'string' ? [options.secret] : options.secret;
  const replace: Array<[string, string]> = secrets.flatMap((sec): Array<[string, string]> => [
    [sec, '[redacted]'],
    [sec.replace(/^whsec_/, ''), '[redacted]'],
  ]);
  try {
    const u = new URL(options.url);
    if (u.password) replace.push([u.password, '[redacted]']);
    if (u.search) replace.push([u.search.slice(1), '…']);
    if (u.pathname !== '/') replace.push([u.pathname, '/…']);
  } catch {
    replace.push([options.url, '(target)']);
  }
  const rules = replace.filter(([s]) => s.length >= 4).sort((a, b) => b[0].length - a[0].length);
  return (s) => {
    let out = s;
    for (const [from, to] of rules) out = out.split(from).join(to);
    // Any other URL's query string (a redirect target, say) goes too.
    return out.replace(/(https?:\/\/[^\s?#]*)\?\S*?(?=[.,;:)]?(?:\s|$))/g, '$1?…');
  };
}

function snippet(bodyText: string, scrub: (s: string) => string): string {
  const line = scrub(bodyText.replace(/\s+/g, ' ').trim());
  if (!line) return '';
  return `: ${line.length > MAX_REASON_BODY ? `${line.slice(0, MAX_REASON_BODY)}…` : line}`;
}
