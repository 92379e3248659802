import { afterAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../../src/app.js';
import { resolveConfig, type Config } from '../../../src/config/load.js';
import { startWorkers, type Workers } from '../../../src/pipeline/bullmq-runner.js';
import { runCycle } from '../../../src/pipeline/cycle.js';
import { enqueuePolls } from '../../../src/pipeline/jobs.js';
import { openQueues, type Queues } from '../../../src/pipeline/queues.js';
import { endpointLimit } from '../../../src/pipeline/rate-limit/endpoint.js';
import type { RateDecision, RateLimiter } from '../../../src/pipeline/rate-limit/limiter.js';
import { createMemoryRateLimiter } from '../../../src/pipeline/rate-limit/memory.js';
import { createRedisRateLimiter } from '../../../src/pipeline/rate-limit/redis.js';
import { fixedClock } from '../../../src/util/clock.js';
import { silentLogger } from '../../../src/util/logger.js';
import { pgSchemas } from '../../helpers/postgres.js';
import { HOOK_SECRET, obliterateAll, queuesIdle, REDIS_TEST_URL, runnerRawConfig, startReceiver, testPrefix, waitFor } from '../../helpers/runner-fixture.js';
import { maxInWindow } from '../../helpers/windows.js';

// Per-endpoint rate limits under both runners, against one receiver on 127.0.0.1. Wall-clock
// speed is never asserted: the limiter's own decisions (on Redis's clock for the shared one) are.

const schemas = pgSchemas('ratelimit');
/** The corpus's date: the same alerts as the other runner tests (the limiter itself runs on real time). */
const NOW = '2025-08-26T09:00:00Z';
afterAll(() => schemas.dropAll());

type Decision = RateDecision & { key: string };

/** The limiter, with every decision it makes written down. */
function recording(inner: RateLimiter, log: Decision[]): RateLimiter {
  return {
    take: async (key, rate) => {
      const d = await inner.take(key, rate);
      log.push({ ...d, key });
      return d;
    },
    close: () => inner.close?.() ?? Promise.resolve(),
  };
}

function limitedConfig(hookUrl: string, storeUrl: string, rate: string, prefix?: string): Config {
  const { dir, raw } = runnerRawConfig({ hookUrl, storeUrl, ...(prefix === undefined ? {} : { prefix }) });
  return resolveConfig({ ...raw, runner: { ...(prefix === undefined ? {} : { prefix }), rateLimits: { webhook: rate } } }, { baseDir: dir, env: { HOOK_SECRET } });
}

/** Per endpoint (receiver path): the limiter granted at most `count` per window, and granted every request the receiver saw. */
function expectWithinLimit(app: App, log: readonly Decision[], paths: Record<string, string>, requests: readonly { url: string }[], count: number, windowMs: number) {
  // Enough load on some endpoint for the limit to bite.
  expect(Math.max(...Object.values(paths).map((p) => requests.filter((r) => r.url === p).length))).toBeGreaterThan(2 * count);
  for (const [subscriptionId, path] of Object.entries(paths)) {
    const key = endpointLimit(app, subscriptionId, 'webhook')?.key;
    const granted = log.filter((d) => d.key === key && d.waitMs === 0).map((d) => d.at);
    const received = requests.filter((r) => r.url === path).length;
    expect(granted.length).toBeGreaterThanOrEqual(received);
    expect(maxInWindow(granted, windowMs)).toBeLessThanOrEqual(count);
  }
}

describe('per-endpoint rate limits', () => {
  it('two BullMQ workers share one Redis window per endpoint; held deliveries are delayed, not failed', async () => {
    const hook = await startReceiver();
    const prefix = testPrefix('ratelimit');
    const config = limitedConfig(hook.url, schemas.url(), '3/1s', prefix);
    const apps = [await createApp(config, { log: silentLogger, clock: fixedClock(NOW) }), await createApp(config, { log: silentLogger, clock: fixedClock(NOW) })];
    const queues: Queues = openQueues({ redisUrl: REDIS_TEST_URL, prefix });
    const log: Decision[] = [];
    const workers: Workers[] = apps.map((app) =>
      startWorkers(app, queues, { concurrency: 4, limiter: recording(createRedisRateLimiter(REDIS_TEST_URL, prefix), log) }),
    );
    try {
      const app = apps[0]!;
      await enqueuePolls(app, queues);
      await waitFor('every delivery sent', async () => {
        const all = await app.store.listDeliveries();
        const polled = await Promise.all(['debian', 'cisa-kev'].map(async (id) => (await app.store.getSourceState(id))?.lastSuccessAt !== undefined));
        return polled.every(Boolean) && all.length > 0 && all.every((d) => d.status === 'sent') && (await queuesIdle(queues));
      }, 200_000);
      const deliveries = await app.store.listDeliveries();
      // Each alert accepted once, on its first attempt: waiting for the limiter is not an attempt.
      expect(hook.ids().sort()).toEqual(deliveries.map((d) => d.key).sort());
      expect(deliveries.every((d) => d.attempts === 1)).toBe(true);
      expect(log.some((d) => d.waitMs > 0)).toBe(true);
      expect(await queues.deliver.getFailedCount()).toBe(0);
      expectWithinLimit(app, log, { matched: '/matched', 'debian-all': '/debian' }, hook.requests, 3, 1_000);
    } finally {
      await Promise.all(workers.map((w) => w.close()));
      await obliterateAll(queues);
      await queues.close();
      await Promise.all(apps.map((a) => a.close()));
      await hook.close();
    }
  }, 240_000);

  it('the inline runner paces the same way with the in-memory limiter', async () => {
    const hook = await startReceiver();
    const app = await createApp(limitedConfig(hook.url, 'sqlite::memory:', '5/1s'), { log: silentLogger, clock: fixedClock(NOW) });
    const log: Decision[] = [];
    const limiter = recording(createMemoryRateLimiter(), log);
    try {
      const summary = await runCycle({ ...app, limiter });
      const deliveries = await app.store.listDeliveries();
      expect(summary.deliveries.sent).toBe(deliveries.length);
      expect(deliveries.every((d) => d.status === 'sent' && d.attempts === 1)).toBe(true);
      expect(log.some((d) => d.waitMs > 0)).toBe(true);
      expectWithinLimit(app, log, { matched: '/matched', 'debian-all': '/debian' }, hook.requests, 5, 1_000);
    } finally {
      await app.close();
      await hook.close();
    }
  }, 180_000);
});
