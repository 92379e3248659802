import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { resolveConfig } from '../../src/config/load.js';
import { startWorkers } from '../../src/pipeline/bullmq-runner.js';
import { enqueuePolls } from '../../src/pipeline/jobs.js';
import { createRedisRateLimiter } from '../../src/pipeline/rate-limit/redis.js';
import { openQueues, type Queues } from '../../src/pipeline/queues.js';
import type { QueueStatus } from '../../src/pipeline/queues-status.js';
import { silentLogger } from '../../src/util/logger.js';
import { obliterateAll, REDIS_TEST_URL, testPrefix, waitFor } from '../helpers/runner-fixture.js';

// `secwatch status` (the compiled CLI) against the real Redis: a poll that fails for good shows
// up as a failed job with its reason, and --retry-failed puts it back in line.

const BIN = fileURLToPath(new URL('../../bin/secwatch.js', import.meta.url));
const prefix = testPrefix('status');
const dir = mkdtempSync(join(tmpdir(), 'secwatch-status-'));
const configFile = join(dir, 'secwatch.yaml');
let app: App;
let queues: Queues;

const status = (...flags: string[]) =>
  spawnSync(process.execPath, [BIN, 'status', '--config', configFile, ...flags], { env: { ...process.env, REDIS_URL: REDIS_TEST_URL }, encoding: 'utf8' });

beforeAll(async () => {
  const raw = {
    dataDir: dir,
    store: { url: 'sqlite::memory:' },
    runner: { prefix },
    sources: [{ id: 'gone', kind: 'rss', url: pathToFileURL(join(dir, 'no-such-feed.xml')).href }],
  };
  writeFileSync(configFile, JSON.stringify(raw));
  app = await createApp(resolveConfig(raw, { baseDir: dir }), { log: silentLogger });
  queues = openQueues({ redisUrl: REDIS_TEST_URL, prefix });
});

afterAll(async () => {
  await obliterateAll(queues);
  await queues.close();
  await app.close();
});

describe('secwatch status', () => {
  it('shows queue depths, workers and a failed job with its reason; --retry-failed requeues it', async () => {
    const workers = startWorkers(app, queues, { queues: ['poll'] });
    try {
      await enqueuePolls(app, queues);
      await waitFor('the poll failed', async () => (await queues.poll.getFailedCount()) === 1);
      const out = status('--json');
      expect(out.status).toBe(0);
      const json = JSON.parse(out.stdout) as { prefix: string; queues: QueueStatus[] };
      expect(json.prefix).toBe(prefix);
      const poll = json.queues.find((q) => q.name === 'poll');
      expect(poll?.workers).toBe(1);
      expect(poll?.counts.failed).toBe(1);
      expect(poll?.failed[0]).toMatchObject({ name: 'poll', data: { sourceId: 'gone' }, attemptsMade: 1 });
      expect(poll?.failed[0]?.reason).toMatch(/gone: .*no-such-feed/);
      expect(json.queues.map((q) => q.name)).toEqual(['poll', 'ingest', 'match', 'deliver', 'remind']);
    } finally {
      await workers.close();
    }
    // A shared rate-limit window in use shows up with its endpoint (never the URL) and its count.
    const limiter = createRedisRateLimiter(REDIS_TEST_URL, prefix);
    try {
      for (let i = 0; i < 2; i++) await limiter.take('slack:0123abcd', { count: 5, windowMs: 120_000 }); // the key expires by itself
    } finally {
      await limiter.close?.();
    }
    const text = status();
    expect(text.stdout).toMatch(/^poll +waiting 0, active 0, delayed 0, failed 1/m);
    expect(text.stdout).toMatch(/^rate-limit slack:0123abcd: 2 recent send\(s\)/m);
    expect((JSON.parse(status('--json').stdout) as { rateLimits: unknown[] }).rateLimits).toMatchObject([{ endpoint: 'slack:0123abcd', recent: 2 }]);
    const retried = status('--retry-failed', '--json');
    expect(JSON.parse(retried.stdout)).toMatchObject({ retried: 1 });
    expect(await queues.poll.getJobCounts('failed', 'waiting')).toEqual({ failed: 0, waiting: 1 });
  });

  it('says how to give Redis when REDIS_URL is missing', () => {
    const env = { ...process.env };
    delete env.REDIS_URL;
    delete env.SECWATCH_REDIS_URL;
    const out = spawnSync(process.execPath, [BIN, 'status', '--config', configFile], { env, encoding: 'utf8' });
    expect(out.status).toBe(2);
    expect(out.stderr).toMatch(/status needs Redis: set REDIS_URL/);
  });
});
