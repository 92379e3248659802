// https://api.slack.com/messaging/webhooks (incoming webhooks; errors: https://api.slack.com/messaging/webhooks#handling_errors)
import { FetchError } from '../../errors.js';
import type { PostResult } from '../../net/http-client.js';
import type { Channel, DeliveryResult } from '../channel.js';
import { parseRetryAfter } from '../retry-after.js';
import { buildSlackMessage } from './payload.js';

/** A resolved Slack subscription: the webhook URL (a secret: its path is the token) from the environment. */
export interface SlackChannelOptions {
  readonly url: string;
}

const MAX_REASON_BODY = 120;

/** One Block Kit message per alert; the URL never appears in a reason, only its origin. */
export function createSlackChannel(options: SlackChannelOptions): Channel {
  const label = originOf(options.url);
  const scrub = (s: string): string => scrubUrl(s, options.url);
  return {
    kind: 'slack',
    async send(alert, ctx): Promise<DeliveryResult> {
      if (label === null) return { status: 'failed', reason: 'slack target is not an http(s) URL' };
      const now = ctx.clock.now();
      const body = JSON.stringify(buildSlackMessage(alert, now));
      let res: PostResult;
      try {
        res = await ctx.http.post(options.url, body, {
          headers: { 'content-type': 'application/json' },
          userSupplied: true,
          ...(ctx.signal ? { signal: ctx.signal } : {}),
        });
      } catch (err) {
        if (!(err instanceof FetchError)) throw err;
        const detail = scrub(err.message).replace(/^https?:\/\/\S*: /, '');
        if (err.kind === 'blocked') return { status: 'failed', reason: `slack ${label} refused by the SSRF guard: ${detail}` };
        return err.retryable
          ? { status: 'retry', reason: `slack ${label} unreachable (${err.kind}): ${detail}` }
          : { status: 'failed', reason: `slack ${label} failed (${err.kind}): ${detail}` };
      }
      return slackOutcome(res, now, `slack ${label}`, scrub);
    },
  };
}

/** HTTP answer → outcome, shared by chat webhooks: 2xx sent, 408/429/5xx retry (Retry-After), else failed. */
export function slackOutcome(res: PostResult, now: Date, who: string, scrub: (s: string) => string): DeliveryResult {
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
    const secrets = [u.search.slice(1), u.pathname === '/' ? '' : u.pathname].filter((x) => x.length >= 4);
    for (const sec of secrets) out = out.split(sec).join('/…');
  } catch {
    out = out.split(url).join('(target)');
  }
  return out;
}
