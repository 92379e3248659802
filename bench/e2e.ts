// End to end: one new KEV entry on a local HTTP source → the signed webhook at a local receiver.
// The source serves the real 1,404-entry catalog (test/fixtures/corpus/kev) plus one new entry
// per run for a product in the inventory; the clock starts when the poll is asked for and stops
// when the receiver holds a webhook for that CVE whose Standard Webhooks signature verifies.
//  - embedded default: inline runner, SQLite — runCycle (poll → verify → parse → store → match →
//    plan → deliver) in this process;
//  - BullMQ: the same stages as jobs on the local Redis (unique queue prefix), workers in this
//    process, SQLite store; the clock starts when the poll job is added.
// Report only (no baseline, no target): latency p50/p95 over RUNS_E2E runs each.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { createApp, type App } from '../src/app.js';
import { resolveConfig } from '../src/config/load.js';
import { verifyWebhook } from '../src/deliver/webhook/standard-webhooks.js';
import { startWorkers } from '../src/pipeline/bullmq-runner.js';
import { runCycle } from '../src/pipeline/cycle.js';
import { openQueues, QUEUE_NAMES, type Queues } from '../src/pipeline/queues.js';
import { silentLogger } from '../src/util/logger.js';
import type { Benchmark, BenchRow } from './lib/benchmark.js';
import { corpusKevEntries, startKevServer, type KevEntry, type KevServer } from './lib/kev-server.js';

const RUNS = Number(process.env.BENCH_E2E_RUNS ?? 30);
const REDIS_URL = process.env.SECWATCH_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const SECRET = 'whsec_' + Buffer.from('secwatch-bench-e2e-secret-0123456789').toString('base64');
const FEED = '/kev/known_exploited_vulnerabilities.json';
const SOURCE_ID = 'cisa-kev';

/** A webhook receiver that checks each signature and tells who waits for a CVE when it arrives. */
interface Receiver {
  readonly url: string;
  /** Resolves with performance.now() when a correctly signed webhook mentioning `cve` arrives. */
  arrival(cve: string): Promise<number>;
  readonly badSignatures: () => number;
  close(): Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
  const waiting = new Map<string, (at: number) => void>();
  let bad = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = performance.now();
      const body = Buffer.concat(chunks).toString('utf8');
      res.writeHead(204).end();
      if (!verifyWebhook(req.headers, body, SECRET, { now: new Date() }).ok) {
        bad++;
        return;
      }
      for (const [cve, resolve] of waiting) {
        if (body.includes(`"${cve}"`)) {
          waiting.delete(cve);
          resolve(at);
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    arrival: (cve) => new Promise((resolve) => waiting.set(cve, resolve)),
    badSignatures: () => bad,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A new entry for the one inventory product; everything else in the catalog matches nothing. */
function newEntry(n: number): KevEntry {
  return {
    cveID: `CVE-2099-${String(50_000 + n)}`,
    vendorProject: 'Benchvendor',
    product: 'Widgetserver',
    vulnerabilityName: `Benchvendor Widgetserver remote code execution ${n}`,
    dateAdded: '2025-09-01',
    shortDescription: 'A synthetic entry added by the end-to-end benchmark.',
    requiredAction: 'Apply mitigations per vendor instructions or discontinue use of the product if mitigations are unavailable.',
    dueDate: '2025-09-22',
    knownRansomwareCampaignUse: 'Unknown',
    notes: '',
    cwes: ['CWE-94'],
  };
}

function configFor(dataDir: string, kevUrl: string, hookUrl: string, runner: Record<string, unknown>): ReturnType<typeof resolveConfig> {
  const inventory = join(dataDir, 'inventory.yaml');
  writeFileSync(inventory, 'items:\n  - { name: widget farm, vendor: Benchvendor, product: Widgetserver, instances: 3, collection: bench }\n');
  return resolveConfig(
    {
      dataDir,
      store: { url: 'sqlite::memory:' },
      runner,
      sources: [{ id: SOURCE_ID, kind: 'kev', url: `${kevUrl}${FEED}` }],
      inventory: { files: [inventory] },
      subscriptions: [{ id: 'hook', channel: 'webhook', url: `${hookUrl}/hook`, secretEnv: 'HOOK_SECRET', minSeverity: 'low', matchedOnly: true }],
      network: { allowPrivateHosts: ['127.0.0.1'] },
    },
    { baseDir: dataDir, env: { HOOK_SECRET: SECRET } },
  );
}

/** Publish the catalog with one more new entry, start the clock, trigger, wait for the webhook. */
async function measure(kev: KevServer, hook: Receiver, base: readonly KevEntry[], added: KevEntry[], n: number, trigger: () => Promise<unknown>): Promise<number> {
  const entry = newEntry(n);
  added.push(entry);
  kev.publish(FEED, [...added, ...base]);
  const arrived = hook.arrival(entry.cveID);
  const started = performance.now();
  await trigger();
  const at = await arrived;
  return at - started;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function row(label: string, samples: readonly number[], bad: number, extra: string[]): BenchRow {
  const sorted = [...samples].sort((a, b) => a - b);
  const p50 = percentile(sorted, 50);
  return {
    case: `${label}: new KEV entry → signed webhook, ${samples.length} runs`,
    baseline: null,
    ours: { value: p50, unit: 'ms p50' },
    ratio: null,
    target: null,
    met: null,
    notes: [
      `p50 ${p50.toFixed(0)} ms, p95 ${percentile(sorted, 95).toFixed(0)} ms, min ${sorted[0]!.toFixed(0)} ms, max ${sorted.at(-1)!.toFixed(0)} ms`,
      `webhooks with a bad signature: ${bad}`,
      ...extra,
    ],
  };
}

async function withApp<T>(runner: Record<string, unknown>, use: (app: App, kev: KevServer, hook: Receiver, base: readonly KevEntry[]) => Promise<T>): Promise<T> {
  const kev = await startKevServer();
  const hook = await startReceiver();
  const base = corpusKevEntries();
  kev.publish(FEED, base);
  const dataDir = mkdtempSync(join(tmpdir(), 'secwatch-bench-e2e-'));
  const app = await createApp(configFor(dataDir, kev.url, hook.url, runner), { log: silentLogger });
  try {
    return await use(app, kev, hook, base);
  } finally {
    await app.close();
    await hook.close();
    await kev.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function inline(): Promise<BenchRow> {
  return withApp({ kind: 'inline' }, async (app, kev, hook, base) => {
    const seeded = await runCycle(app); // the catalog as it was: ingested, nothing matches
    if (seeded.deliveries.planned !== 0) throw new Error(`inline: seeding planned ${seeded.deliveries.planned} alerts, expected none`);
    const added: KevEntry[] = [];
    await measure(kev, hook, base, added, 0, () => runCycle(app)); // warm-up
    const samples: number[] = [];
    for (let i = 1; i <= RUNS; i++) samples.push(await measure(kev, hook, base, added, i, () => runCycle(app)));
    return row('inline runner, SQLite (embedded default)', samples, hook.badSignatures(), ['clock: runCycle called → webhook received (includes parsing the 1.3 MB catalog each time)']);
  });
}

async function idle(queues: Queues): Promise<boolean> {
  const counts = await Promise.all(QUEUE_NAMES.map((n) => queues[n].getJobCounts('waiting', 'active', 'delayed', 'prioritized')));
  return counts.every((c) => Object.values(c).every((n) => n === 0));
}

/** Whether Redis answers: BullMQ would otherwise wait for it for ever instead of failing. */
async function redisAnswers(): Promise<string | undefined> {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, connectTimeout: 2_000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  } finally {
    redis.disconnect();
  }
}

async function bullmq(): Promise<BenchRow> {
  const down = await redisAnswers();
  if (down !== undefined) {
    return {
      case: 'BullMQ runner: new KEV entry → signed webhook',
      baseline: null,
      ours: { value: NaN, unit: 'ms p50' },
      ratio: null,
      target: null,
      met: null,
      notes: [`skipped: Redis at ${REDIS_URL} does not answer (${down}); set SECWATCH_TEST_REDIS_URL`],
    };
  }
  const prefix = `swbench-e2e-${randomBytes(4).toString('hex')}`;
  return withApp({ kind: 'bullmq', prefix, concurrency: 4 }, async (app, kev, hook, base) => {
    const queues = openQueues({ redisUrl: REDIS_URL, prefix });
    const workers = startWorkers(app, queues, { concurrency: 4 });
    try {
      let job = 0;
      const poll = (): Promise<unknown> => queues.poll.add('poll', { sourceId: SOURCE_ID }, { jobId: `bench-poll-${job++}` });
      await poll(); // seeding, as inline
      for (let waited = 0; !(await idle(queues)) || (await app.store.getSourceState(SOURCE_ID))?.lastSuccessAt === undefined; waited += 50) {
        if (waited > 120_000) throw new Error('bullmq: seeding poll did not finish within 120 s');
        await new Promise((r) => setTimeout(r, 50));
      }
      const seededDeliveries = (await app.store.listDeliveries()).length;
      if (seededDeliveries !== 0) throw new Error(`bullmq: seeding recorded ${seededDeliveries} deliveries, expected none`);
      const added: KevEntry[] = [];
      await measure(kev, hook, base, added, 0, poll); // warm-up
      const samples: number[] = [];
      for (let i = 1; i <= RUNS; i++) samples.push(await measure(kev, hook, base, added, i, poll));
      return row('BullMQ runner (Redis 127.0.0.1:6379), in-process workers, SQLite', samples, hook.badSignatures(), [
        'clock: poll job added → webhook received (poll → ingest → match → deliver jobs)',
      ]);
    } finally {
      await workers.close();
      await Promise.allSettled(QUEUE_NAMES.map((n) => queues[n].obliterate({ force: true })));
      await queues.close();
    }
  });
}

const e2e: Benchmark = {
  name: 'e2e',
  describe: `one new KEV entry on a local source → signed webhook at a local receiver: latency over ${RUNS} runs, inline and BullMQ`,
  async run() {
    return [await inline(), await bullmq()];
  },
};

export default e2e;
