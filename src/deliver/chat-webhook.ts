// What the chat webhooks (Slack, Teams) share: posting JSON to a URL that is itself the
// credential, and reading the answer. Retry-After: RFC 9110 §10.2.3.
import { FetchError } from '../errors.js';
import type { PostResult } from '../net/http-client.js';
import type { DeliveryContext, DeliveryResult } from './channel.js';
import { parseRetryAfter } from './retry-after.js';

const MAX_REASON_BODY = 120;

/**
 * POST one JSON body; transport trouble becomes an outcome (retry when transient), an HTTP answer
 * is returned for the caller to judge. `who` names the channel and origin, never the path.
 */
export async function postChat(
  url: string,
  body: string,
  ctx: DeliveryContext,
  who: string,
  scrub: (s: string) => string,
): Promise<{ res: PostResult } | { outcome: DeliveryResult }> {
  try {
    const res = await ctx.http.post(url, body, {
      headers: { 'content-type': 'application/json' },
      userSupplied: true,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    });
    return { res };
  } catch (err) {
    if (!(err instanceof FetchError)) throw err;
    // FetchError messages start with the (redacted) URL; `who` already names the target.
    const detail = scrub(err.message).replace(/^https?:\/\/\S*: /, '');
    if (err.kind === 'blocked') return { outcome: { status: 'failed', reason: `${who} refused by the SSRF guard: ${detail}` } };
    return {
      outcome: err.retryable
        ? { status: 'retry', reason: `${who} unreachable (${err.kind}): ${detail}` }
        : { status: 'failed', reason: `${who} failed (${err.kind}): ${detail}` },
    };
  }
}

/** HTTP answer → outcome for chat webhooks: 2xx sent, 404/410 gone, 408/429/5xx retry (Retry-After), else failed. */
export function chatOutcome(res: PostResult, now: Date, who: string, scrub: (s: string) => string): DeliveryResult {
  const s = res.status;
  const line = scrub(res.bodyText.replace(/\s+/g, ' ').trim());
  const said = line ? `: ${line.length > MAX_REASON_BODY ? `${line.slice(0, MAX_REASON_BODY)}…` : line}` : '';
  if (s >= 200 && s < 300) return { status: 'sent' };
  if (s === 404 || s === 410) return { status: 'failed', reason: `${who} answered HTTP ${s}${said}: the webhook is gone (removed or archived channel)` };
  if (s === 408 || s === 429 || s >= 500) {
    const afterMs = parseRetryAfter(res.headers.get('retry-after'), now);
    const reason = `${who} answered HTTP ${s}${said}`;
    return afterMs === undefined ? { status: 'retry', reason } : { status: 'retry', reason, afterMs };
  }
  return { status: 'failed', reason: `${who} answered HTTP ${s}${said}` };
}

/** Scheme, host and port only: the path of a chat webhook URL is its credential. */
export function originOf(url: string): string | null {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : null;
  } catch {
    return null;
  }
}

/** Remove the URL's path and query (the token) from text we did not write. */
export function scrubUrl(text: string, url: string): string {
  let out = text;
  try {
    const u = new URL(url);
    const secrets = [u.search.slice(1), decodeURIComponent(u.search.slice(1)), u.pathname === '/' ? '' : u.pathname]
      .filter((x) => x.length >= 4)
      .sort((a, b) => b.length - a.length);
    for (const sec of secrets) out = out.split(sec).join('/…');
  } catch {
    out = out.split(url).join('(target)');
  }
  return out;
}
