// The shared limiter: the sliding-window rule of limiter.ts as one Lua script, so the check and
// the count are atomic across every worker, on Redis's clock (workers' clocks may disagree).
import { Redis } from 'ioredis';
import type { RateDecision, RateLimiter, Rate } from './limiter.js';

/** KEYS[1]: the endpoint's sorted set of allowed sends (score = ms); ARGV: count, windowMs, member. */
const TAKE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local count = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < count then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window)
  return {0, now}
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return {math.max(1, tonumber(oldest[2]) + window - now), now}
`;

type WithTake = Redis & { secwatchRateTake(key: string, count: number, windowMs: number, member: string): Promise<[number, number]> };

/** A Redis-backed limiter under `prefix` (the deployment's BullMQ prefix): keys `<prefix>:ratelimit:<endpoint>`. */
export function createRedisRateLimiter(redisUrl: string, prefix: string, onError: (err: Error) => void = () => undefined): RateLimiter {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null, lazyConnect: false }) as WithTake;
  redis.on('error', onError);
  redis.defineCommand('secwatchRateTake', { numberOfKeys: 1, lua: TAKE });
  let seq = 0;
  // Members must be unique per send, even two in the same millisecond from two processes.
  const me = `${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  return {
    async take(key: string, rate: Rate): Promise<RateDecision> {
      const [waitMs, at] = await redis.secwatchRateTake(rateKey(prefix, key), rate.count, rate.windowMs, `${me}-${seq++}`);
      return { waitMs: Number(waitMs), at: Number(at) };
    },
    async close(): Promise<void> {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}

/** Where one endpoint's window lives (exported for status and tests). */
export function rateKey(prefix: string, key: string): string {
  return `${prefix}:ratelimit:${key}`;
}
