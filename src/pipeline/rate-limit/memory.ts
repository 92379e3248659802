import { slidingWindow, type RateDecision, type RateLimiter, type Rate } from './limiter.js';

/** The inline runner's limiter: one process, so a map of sliding-window logs is enough. */
export function createMemoryRateLimiter(now: () => number = () => performance.timeOrigin + performance.now()): RateLimiter {
  const logs = new Map<string, number[]>();
  return {
    take(key: string, rate: Rate): Promise<RateDecision> {
      const at = now();
      let log = logs.get(key);
      if (!log) logs.set(key, (log = []));
      return Promise.resolve({ waitMs: slidingWindow(log, rate, at), at });
    },
  };
}
