// What `secwatch status` shows: how the bullmq runner is doing, read from Redis alone.
import type { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { QUEUE_NAMES, type JobData, type QueueName, type Queues } from './queues.js';
import { rateKey } from './rate-limit/redis.js';

/** One failed job, enough to see why and to decide to retry it. */
export interface FailedJob {
  readonly id: string;
  readonly name: string;
  readonly data: unknown;
  readonly reason: string;
  readonly attemptsMade: number;
  readonly failedAt: string | undefined;
}

/** One queue's state; counts are BullMQ's (waiting, active, delayed, failed, completed, …). */
export interface QueueStatus {
  readonly name: QueueName;
  readonly counts: Readonly<Record<string, number>>;
  readonly workers: number;
  /** Age in ms of the job that has waited longest, if any waits. */
  readonly oldestWaitingMs: number | undefined;
  readonly failed: readonly FailedJob[];
  readonly schedulers: readonly { readonly id: string; readonly every: number | undefined; readonly next: string | undefined }[];
}

const COUNT_TYPES = ['waiting', 'active', 'delayed', 'prioritized', 'failed', 'completed'] as const;

/** Read every queue's status; `now` is passed in so the ages are testable. */
export async function readQueuesStatus(queues: Queues, now: Date, failedLimit = 10): Promise<QueueStatus[]> {
  return Promise.all(QUEUE_NAMES.map((name) => readOne(name, queues[name], now, failedLimit)));
}

async function readOne(name: QueueName, queue: Queue<JobData>, now: Date, failedLimit: number): Promise<QueueStatus> {
  const [counts, workers, oldest, failed, schedulers] = await Promise.all([
    queue.getJobCounts(...COUNT_TYPES),
    queue.getWorkersCount(),
    queue.getJobs(['waiting', 'prioritized'], 0, 0, true),
    queue.getFailed(0, Math.max(0, failedLimit - 1)),
    queue.getJobSchedulers(0, -1),
  ]);
  const first = oldest[0];
  return {
    name,
    counts,
    workers,
    oldestWaitingMs: first === undefined ? undefined : Math.max(0, now.getTime() - first.timestamp),
    failed: failed.map((j) => ({
      id: String(j.id),
      name: j.name,
      data: j.data,
      reason: j.failedReason,
      attemptsMade: j.attemptsMade,
      failedAt: j.finishedOn === undefined ? undefined : new Date(j.finishedOn).toISOString(),
    })),
    schedulers: schedulers.map((s) => ({ id: s.key, every: s.every ?? undefined, next: s.next === undefined ? undefined : new Date(s.next).toISOString() })),
  };
}

/** One endpoint's shared rate-limit window (src/pipeline/rate-limit/redis.ts) as Redis holds it now. */
export interface RateLimitStatus {
  /** `<channel kind>:<hash of the target URL>` (or `:sub:<subscription id>`). */
  readonly endpoint: string;
  /** Sends counted in its window log (the most recent window, plus any not yet trimmed). */
  readonly recent: number;
  /** The window ends this many ms after its last send, unless another comes. */
  readonly expiresInMs: number;
}

/** The endpoints with a live rate-limit window under this deployment's prefix, busiest first. */
export async function readRateLimits(queues: Queues): Promise<RateLimitStatus[]> {
  const client = new Redis(queues.settings.redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true });
  client.on('error', () => undefined); // the command in hand rejects; status reports that
  try {
    await client.connect();
    const head = rateKey(queues.settings.prefix, '');
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await client.scan(cursor, 'MATCH', `${head}*`, 'COUNT', 500);
      cursor = next;
      keys.push(...batch);
    } while (cursor !== '0');
    const rows = await Promise.all(
      keys.map(async (key) => ({ endpoint: key.slice(head.length), recent: await client.zcard(key), expiresInMs: Math.max(0, await client.pttl(key)) })),
    );
    return rows.sort((a, b) => b.recent - a.recent || a.endpoint.localeCompare(b.endpoint));
  } finally {
    client.disconnect();
  }
}

/** Move every failed job of every queue back to waiting; returns how many there were. */
export async function retryFailed(queues: Queues): Promise<number> {
  let n = 0;
  for (const name of QUEUE_NAMES) {
    n += await queues[name].getFailedCount();
    await queues[name].retryJobs({ state: 'failed' });
  }
  return n;
}

/** The human-readable form, one block per queue, then the busy rate-limited endpoints. */
export function formatQueuesStatus(status: readonly QueueStatus[], rateLimits: readonly RateLimitStatus[] = []): string {
  const lines: string[] = [];
  for (const q of status) {
    const c = (k: string): number => q.counts[k] ?? 0;
    const oldest = q.oldestWaitingMs === undefined ? '' : `, oldest waiting ${Math.round(q.oldestWaitingMs / 1000)}s`;
    lines.push(
      `${q.name.padEnd(8)} waiting ${c('waiting') + c('prioritized')}, active ${c('active')}, delayed ${c('delayed')}, failed ${c('failed')}, completed ${c('completed')}; workers ${q.workers}${oldest}`,
    );
    for (const s of q.schedulers) lines.push(`  scheduler ${s.id}: every ${s.every ?? '?'} ms, next ${s.next ?? '?'}`);
    for (const f of q.failed) lines.push(`  failed ${f.id} (${f.name}, ${f.attemptsMade} attempt(s)${f.failedAt ? `, ${f.failedAt}` : ''}): ${f.reason}`);
  }
  for (const r of rateLimits) lines.push(`rate-limit ${r.endpoint}: ${r.recent} recent send(s), window open ${Math.ceil(r.expiresInMs / 1000)}s more`);
  return lines.join('\n');
}
