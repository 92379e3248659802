// Per-endpoint send rates (Slack ~1 message/s per webhook, Teams 4 requests/s, …): one interface,
// kept in memory by the inline runner and in Redis by the BullMQ workers, so the rate holds across
// every worker process together.
import type { Rate } from '../../config/rate.js';

export type { Rate };

/** A limiter's answer: `waitMs` 0 = go now (the send is counted); else try again after waitMs. */
export interface RateDecision {
  readonly waitMs: number;
  /** The limiter's own clock (ms) when it decided: Redis TIME for the shared limiter. */
  readonly at: number;
}

export interface RateLimiter {
  /** Count one send to `key` if the sliding window of `rate` has room; otherwise say how long to wait. */
  take(key: string, rate: Rate): Promise<RateDecision>;
  close?(): Promise<void>;
}

/**
 * A sliding-window log, the rule both limiters apply: a send at `now` is allowed when fewer than
 * `rate.count` sends were allowed in (now - windowMs, now]; otherwise it waits until the oldest of
 * them leaves the window. So any window of that length holds at most `count` allowed sends.
 */
export function slidingWindow(log: number[], rate: Rate, now: number): number {
  while (log.length > 0 && (log[0] ?? 0) <= now - rate.windowMs) log.shift();
  if (log.length < rate.count) {
    log.push(now);
    return 0;
  }
  return Math.max(1, (log[0] ?? now) + rate.windowMs - now);
}
