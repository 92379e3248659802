import { afterAll, describe, expect, it } from 'vitest';
import { parseRate } from '../../../src/config/rate.js';
import { resolveConfig } from '../../../src/config/load.js';
import { endpointLimit } from '../../../src/pipeline/rate-limit/endpoint.js';
import { createMemoryRateLimiter } from '../../../src/pipeline/rate-limit/memory.js';
import { createRedisRateLimiter, rateKey } from '../../../src/pipeline/rate-limit/redis.js';
import type { Deps } from '../../../src/pipeline/deps.js';
import { REDIS_TEST_URL, testPrefix } from '../../helpers/runner-fixture.js';
import { Redis } from 'ioredis';
import { maxInWindow } from '../../helpers/windows.js';

describe('rates', () => {
  it('reads N/duration, a bare unit meaning one of it, and refuses the rest', () => {
    expect(parseRate('1/s')).toEqual({ count: 1, windowMs: 1_000 });
    expect(parseRate('4/1s')).toEqual({ count: 4, windowMs: 1_000 });
    expect(parseRate(' 30 / 1m ')).toEqual({ count: 30, windowMs: 60_000 });
    expect(parseRate('100/15m')).toEqual({ count: 100, windowMs: 900_000 });
    for (const bad of ['', '1', '0/s', '-1/s', '1/x', 'a/s', '1/0s', '1.5/s']) expect(parseRate(bad)).toBeUndefined();
  });

  it('takes the subscription rate, else the channel kind rate, else the default; a bad rate names its key', () => {
    const config = resolveConfig(
      {
        runner: { rateLimits: { webhook: '10/1m' } },
        subscriptions: [
          { id: 'own', channel: 'webhook', url: 'https://hooks.example/a', secretEnv: 'S', rateLimit: '2/s' },
          { id: 'kind', channel: 'webhook', url: 'https://hooks.example/a', secretEnv: 'S' },
          { id: 'chat', channel: 'slack', urlEnv: 'SLACK_URL' },
          { id: 'mail', channel: 'email', to: ['a@example.org'] },
        ],
      },
      { env: { S: 'whsec_' + Buffer.from('0123456789abcdef0123456789').toString('base64'), SLACK_URL: 'https://hooks.slack.example/T/B/secret' } },
    );
    const deps = { config } as unknown as Deps;
    const own = endpointLimit(deps, 'own', 'webhook');
    const kind = endpointLimit(deps, 'kind', 'webhook');
    expect(own?.rate).toEqual({ count: 2, windowMs: 1_000 });
    expect(kind?.rate).toEqual({ count: 10, windowMs: 60_000 });
    // One URL, one endpoint: two subscriptions posting there share its window.
    expect(own?.key).toBe(kind?.key);
    const slack = endpointLimit(deps, 'chat', 'slack');
    expect(slack?.rate).toEqual({ count: 1, windowMs: 1_000 });
    expect(slack?.key).not.toContain('secret'); // the URL is a credential: only its hash is a key
    expect(endpointLimit(deps, 'mail', 'email')).toBeUndefined();
    expect(() => resolveConfig({ runner: { rateLimits: { slack: 'fast' } } }, { env: {} })).toThrow(/runner\.rateLimits\.slack/);
  });
});

describe('memory rate limiter', () => {
  it('allows N per sliding window and says how long to wait, per key', async () => {
    let now = 10_000;
    const limiter = createMemoryRateLimiter(() => now);
    const rate = { count: 2, windowMs: 1_000 };
    expect((await limiter.take('a', rate)).waitMs).toBe(0);
    now += 300;
    expect((await limiter.take('a', rate)).waitMs).toBe(0);
    expect((await limiter.take('a', rate)).waitMs).toBe(700); // the first leaves the window at 11,000
    expect((await limiter.take('b', rate)).waitMs).toBe(0); // another endpoint, its own window
    now = 11_000;
    expect((await limiter.take('a', rate)).waitMs).toBe(0);
    expect((await limiter.take('a', rate)).waitMs).toBe(300);
  });
});

describe('redis rate limiter', () => {
  const prefix = testPrefix('ratelimit');
  const redis = new Redis(REDIS_TEST_URL);
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it('shares one window between limiters (workers): the granted sends never exceed N per window on the Redis clock', async () => {
    const limiters = [1, 2, 3].map(() => createRedisRateLimiter(REDIS_TEST_URL, prefix));
    const rate = { count: 3, windowMs: 400 };
    const granted: number[] = [];
    let held = 0;
    try {
      // 12 sends race from three limiters; each keeps asking until it is let through.
      await Promise.all(
        Array.from({ length: 12 }, async (_, i) => {
          const limiter = limiters[i % limiters.length]!;
          for (;;) {
            const d = await limiter.take('webhook:shared', rate);
            if (d.waitMs === 0) return void granted.push(d.at);
            held++;
            expect(d.waitMs).toBeLessThanOrEqual(rate.windowMs);
            await new Promise((r) => setTimeout(r, d.waitMs));
          }
        }),
      );
    } finally {
      await Promise.all(limiters.map((l) => l.close?.() ?? Promise.resolve()));
    }
    expect(granted).toHaveLength(12);
    expect(held).toBeGreaterThan(0);
    expect(maxInWindow(granted, rate.windowMs)).toBeLessThanOrEqual(rate.count);
    // The window lives in Redis under the deployment prefix, and expires on its own.
    expect(await redis.pttl(rateKey(prefix, 'webhook:shared'))).toBeLessThanOrEqual(rate.windowMs);
  });
});

