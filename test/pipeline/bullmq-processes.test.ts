import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { runCycle } from '../../src/pipeline/cycle.js';
import { openQueues, type Queues } from '../../src/pipeline/queues.js';
import { openStore, type Store } from '../../src/store/index.js';
import { fixedClock } from '../../src/util/clock.js';
import { silentLogger } from '../../src/util/logger.js';
import { pgSchemas } from '../helpers/postgres.js';
import { obliterateAll, queuesIdle, REDIS_TEST_URL, runnerConfig, snapshot, startReceiver, testPrefix, waitFor, writeRunnerConfig } from '../helpers/runner-fixture.js';
import { startWorkerProcess, type WorkerProcess } from '../helpers/worker-process.js';

// The scale-out topology as plain processes: `secwatch worker` ×N on the real Redis and
// PostgreSQL of this machine, a webhook receiver on 127.0.0.1.

const schemas = pgSchemas('procs');
const running: WorkerProcess[] = [];
const opened: { queues: Queues; store: Store }[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((w) => w.kill()));
  for (const { queues, store } of opened.splice(0)) {
    await obliterateAll(queues);
    await queues.close();
    await store.close();
  }
});
afterAll(() => schemas.dropAll());

/** Everything one scenario needs: a config file for the workers, and the store and queues to watch. */
async function scenario(label: string, hookUrl: string, wide: boolean, runner?: Record<string, unknown>) {
  const storeUrl = schemas.url();
  const prefix = testPrefix(label);
  const configFile = writeRunnerConfig({ hookUrl, storeUrl, wide, prefix, ...(runner === undefined ? {} : { runner }) });
  const queues = openQueues({ redisUrl: REDIS_TEST_URL, prefix });
  const store = await openStore(storeUrl);
  opened.push({ queues, store });
  const settled = async (): Promise<boolean> => {
    const states = await store.getSourceState('cisa-kev');
    const open = (await store.listDeliveries({ status: 'pending' })).length + (await store.listDeliveries({ status: 'retry' })).length;
    // Polled, every stage's jobs done (ingest → match → deliver come after the poll), nothing left to send.
    return states?.lastSuccessAt !== undefined && (await store.getSourceState('debian'))?.lastSuccessAt !== undefined && open === 0 && (await queuesIdle(queues));
  };
  return { configFile, queues, store, settled };
}

/** The deliveries one inline run makes of the same input: the reference. */
async function inlineReference(wide: boolean) {
  const hook = await startReceiver();
  const app = await createApp(runnerConfig({ hookUrl: hook.url, storeUrl: 'sqlite::memory:', wide }), {
    clock: fixedClock('2025-08-26T09:00:00Z'),
    log: silentLogger,
    random: () => 0.5,
  });
  try {
    await runCycle(app);
    return await snapshot(app.store);
  } finally {
    await app.close();
    await hook.close();
  }
}

describe('secwatch worker processes', () => {
  it('three workers share a corpus-sized load and make exactly the deliveries of one inline run', async () => {
    const hook = await startReceiver();
    try {
      const s = await scenario('three', hook.url, true);
      for (let i = 0; i < 3; i++) running.push(startWorkerProcess(s.configFile, REDIS_TEST_URL, ['--concurrency', '4']));
      await waitFor('three workers registered', async () => (await s.queues.deliver.getWorkersCount()) === 3).catch((err: unknown) => {
        throw new Error(`${String(err)}; worker stderr: ${running.map((w) => w.stderr()).join(' | ')}`);
      });
      await waitFor("every delivery sent", s.settled, 200_000);
      const reference = await inlineReference(true);
      const got = await snapshot(s.store);
      expect(got.deliveries.length).toBeGreaterThan(1400);
      // Same advisories and matches; the same delivery keys, all sent.
      expect(got.advisories).toEqual(reference.advisories);
      expect(got.matches).toEqual(reference.matches);
      expect(got.deliveries).toEqual(reference.deliveries);
      // Each alert reached the receiver exactly once, whichever worker sent it.
      const ids = hook.ids();
      expect(ids.length).toBe(got.deliveries.length);
      expect(new Set(ids).size).toBe(ids.length);
      // The work was shared: more than one worker completed deliver jobs.
      const completed = await s.queues.deliver.getCompleted(0, -1);
      expect(new Set(completed.map((j) => j.processedBy)).size).toBeGreaterThan(1);
    } finally {
      await hook.close();
    }
  }, 240_000);

  it('a worker killed in the middle of a delivery: the job is retried by another and accepted exactly once', async () => {
    let hung: string | undefined;
    const hook = await startReceiver((req, res) => {
      const id = String(req.headers['webhook-id']);
      // The first request of the first alert hangs: its worker is killed while sending it.
      if (hung === undefined) {
        hung = id;
        return;
      }
      res.writeHead(204).end();
    });
    try {
      // The killed worker's claim on the delivery must expire before another may send it.
      const s = await scenario('kill', hook.url, false, { claimLease: '6s' });
      const first = startWorkerProcess(s.configFile, REDIS_TEST_URL, ['--lock-duration', '2s', '--concurrency', '1']);
      running.push(first);
      await waitFor('a delivery in flight', () => hung !== undefined);
      expect(await first.kill()).toBeNull(); // killed by the signal, no exit code
      running.push(startWorkerProcess(s.configFile, REDIS_TEST_URL, ['--lock-duration', '2s']));
      await waitFor('every delivery sent after the kill', s.settled, 120_000);
      const keys = (await s.store.listDeliveries()).map((d) => d.key).sort();
      expect(keys).toContain(hung);
      expect((await s.store.listDeliveries({ status: 'sent' })).length).toBe(keys.length);
      // Answered (2xx) exactly once per alert: the hung request never got an answer.
      const answered = hook.requests.filter((r, i) => !(String(r.headers['webhook-id']) === hung && i === hook.requests.findIndex((q) => String(q.headers['webhook-id']) === hung)));
      expect(answered.map((r) => String(r.headers['webhook-id'])).sort()).toEqual(keys);
    } finally {
      await hook.close();
    }
  }, 240_000);
});
