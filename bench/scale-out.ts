// Throughput of ingest + match + deliver: the inline runner beside 1, 2 and 4 `secwatch worker`
// processes (BullMQ on the local Redis, PostgreSQL store). The load is the real KEV catalog
// (1,404 entries) plus the Debian feed, with a subscription to every KEV entry: ~1,430 webhook
// deliveries to a receiver on 127.0.0.1. Run: `npm run build && npm run bench -- scale-out` (the
// workers are the compiled CLI, so a stale dist/ measures old code).
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { createApp } from '../src/app.js';
import { runCycle } from '../src/pipeline/cycle.js';
import { openQueues } from '../src/pipeline/queues.js';
import { openStore } from '../src/store/index.js';
import { silentLogger } from '../src/util/logger.js';
import { pgSchemas } from '../test/helpers/postgres.js';
import { obliterateAll, queuesIdle, REDIS_TEST_URL, runnerConfig, startReceiver, testPrefix, waitFor, writeRunnerConfig } from '../test/helpers/runner-fixture.js';
import { startWorkerProcess } from '../test/helpers/worker-process.js';
import type { Benchmark, BenchRow } from './lib/benchmark.js';

interface Measured {
  readonly label: string;
  readonly sent: number;
  readonly received: number;
  readonly ms: number;
}

async function inline(storeUrl: string, label: string): Promise<Measured> {
  const hook = await startReceiver();
  const app = await createApp(runnerConfig({ hookUrl: hook.url, storeUrl, wide: true }), { log: silentLogger });
  const t0 = performance.now();
  const summary = await runCycle(app);
  const ms = performance.now() - t0;
  await app.close();
  await hook.close();
  return { label, sent: summary.deliveries.sent, received: hook.ids().length, ms };
}

async function workers(storeUrl: string, n: number): Promise<Measured> {
  const hook = await startReceiver();
  const prefix = testPrefix('bench');
  const store = await openStore(storeUrl);
  const configFile = writeRunnerConfig({ hookUrl: hook.url, storeUrl, wide: true, prefix });
  const queues = openQueues({ redisUrl: REDIS_TEST_URL, prefix });
  // Start the clock when the first worker starts: process start-up is part of the cost.
  const t0 = performance.now();
  const procs = Array.from({ length: n }, () => startWorkerProcess(configFile, REDIS_TEST_URL, ['--concurrency', '8']));
  try {
    await waitFor('all deliveries sent', async () => {
      const kev = await store.getSourceState('cisa-kev');
      if (kev?.lastSuccessAt === undefined) return false;
      const open = await store.listDeliveries({ status: 'pending', limit: 1 });
      // Stages run as separate jobs: the poll is done long before match has recorded every delivery.
      return open.length === 0 && (await store.listDeliveries({ status: 'retry', limit: 1 })).length === 0 && (await queuesIdle(queues));
    }, 600_000);
    const ms = performance.now() - t0;
    const sent = (await store.listDeliveries({ status: 'sent' })).length;
    return { label: `bullmq, ${n} worker process${n > 1 ? 'es' : ''} (PostgreSQL)`, sent, received: hook.ids().length, ms };
  } finally {
    await Promise.all(procs.map((p) => p.stop()));
    await obliterateAll(queues);
    await queues.close();
    await store.close();
    await hook.close();
  }
}

function row(m: Measured, baseline: Measured | null): BenchRow {
  return {
    case: m.label,
    baseline: baseline ? { name: baseline.label, value: baseline.ms / 1000, unit: 's' } : null,
    ours: { value: m.ms / 1000, unit: 's' },
    ratio: baseline ? m.ms / baseline.ms : null,
    target: null,
    met: null,
    notes: [`${m.sent} sent, ${m.received} received (${m.sent === m.received ? 'exactly once' : 'MISMATCH'}), ${Math.round((m.sent * 1000) / m.ms)} deliveries/s`],
  };
}

const scaleOut: Benchmark = {
  name: 'scale-out',
  describe: `ingest + match + deliver of KEV + Debian (~1,583 webhooks): inline vs BullMQ workers; ${cpus().length} CPU(s); one run each`,
  async run() {
    if (!existsSync(new URL('../dist/cli/main.js', import.meta.url))) {
      throw new Error('scale-out needs the compiled CLI for its worker processes: run `npm run build` first');
    }
    const schemas = pgSchemas('bench');
    try {
      const sqlite = await inline('sqlite::memory:', 'inline (SQLite in memory)');
      const pg = await inline(schemas.url(), 'inline (PostgreSQL)');
      const rows = [row(sqlite, null), row(pg, sqlite)];
      for (const n of [1, 2, 4]) rows.push(row(await workers(schemas.url(), n), pg));
      return rows;
    } finally {
      await schemas.dropAll();
    }
  },
};

export default scaleOut;
