// Throughput of ingest + match + deliver: the inline runner beside 1, 2 and 4 `secwatch worker`
// processes (BullMQ on the local Redis, PostgreSQL store). The load is the real KEV catalog
// (1,404 entries) plus the Debian feed, with a subscription to every KEV entry: ~1,430 webhook
// deliveries to a receiver on 127.0.0.1. Run: `npm run build && node --import tsx bench/scale-out.ts`.
import { cpus } from 'node:os';
import { createApp } from '../src/app.js';
import { runCycle } from '../src/pipeline/cycle.js';
import { openQueues } from '../src/pipeline/queues.js';
import { openStore } from '../src/store/index.js';
import { silentLogger } from '../src/util/logger.js';
import { pgSchemas } from '../test/helpers/postgres.js';
import { obliterateAll, queuesIdle, REDIS_TEST_URL, runnerConfig, startReceiver, testPrefix, waitFor, writeRunnerConfig } from '../test/helpers/runner-fixture.js';
import { startWorkerProcess } from '../test/helpers/worker-process.js';

const schemas = pgSchemas('bench');
const rows: string[] = [];

async function inline(storeUrl: string, label: string): Promise<void> {
  const hook = await startReceiver();
  const app = await createApp(runnerConfig({ hookUrl: hook.url, storeUrl, wide: true }), { log: silentLogger });
  const t0 = performance.now();
  const summary = await runCycle(app);
  const ms = performance.now() - t0;
  report(label, summary.deliveries.sent, hook.ids().length, ms);
  await app.close();
  await hook.close();
}

async function workers(n: number): Promise<void> {
  const hook = await startReceiver();
  const storeUrl = schemas.url();
  const prefix = testPrefix('bench');
  const store = await openStore(storeUrl);
  const configFile = writeRunnerConfig({ hookUrl: hook.url, storeUrl, wide: true, prefix });
  const queues = openQueues({ redisUrl: REDIS_TEST_URL, prefix });
  // Start the clock when the first worker starts: process start-up is part of the cost.
  const t0 = performance.now();
  const procs = Array.from({ length: n }, () => startWorkerProcess(configFile, REDIS_TEST_URL, ['--concurrency', '8']));
  await waitFor('all deliveries sent', async () => {
    const kev = await store.getSourceState('cisa-kev');
    if (kev?.lastSuccessAt === undefined) return false;
    const open = await store.listDeliveries({ status: 'pending', limit: 1 });
    // Stages run as separate jobs: the poll is done long before match has recorded every delivery.
    return open.length === 0 && (await store.listDeliveries({ status: 'retry', limit: 1 })).length === 0 && (await queuesIdle(queues));
  }, 600_000);
  const ms = performance.now() - t0;
  const sent = (await store.listDeliveries({ status: 'sent' })).length;
  report(`bullmq, ${n} worker process${n > 1 ? 'es' : ''} (PostgreSQL)`, sent, hook.ids().length, ms);
  await Promise.all(procs.map((p) => p.stop()));
  await obliterateAll(queues);
  await queues.close();
  await store.close();
  await hook.close();
}

function report(label: string, sent: number, received: number, ms: number): void {
  const line = `| ${label} | ${sent} | ${received} | ${(ms / 1000).toFixed(1)} s | ${Math.round((sent * 1000) / ms)} |`;
  rows.push(line);
  process.stderr.write(line + '\n');
}

try {
  await inline('sqlite::memory:', 'inline (SQLite in memory)');
  await inline(schemas.url(), 'inline (PostgreSQL)');
  for (const n of [1, 2, 4]) await workers(n);
} finally {
  await schemas.dropAll();
}
process.stdout.write(
  [`${cpus().length} CPU(s), Node ${process.version}`, '', '| runner | deliveries sent | received | wall time | deliveries/s |', '|---|---|---|---|---|', ...rows].join('\n') + '\n',
);
