// The bullmq runner (DESIGN.md "runner"): stages as jobs on Redis, shared by any number of
// `secwatch worker` processes. https://docs.bullmq.io/guide/workers, /guide/job-schedulers
import { hostname } from 'node:os';
import { Worker, type Job } from 'bullmq';
import { describeError } from '../errors.js';
import { DEFAULT_REMIND_EVERY_MS } from '../remind/index.js';
import type { Deps } from './deps.js';
import type { RateLimiter } from './rate-limit/limiter.js';
import { createRedisRateLimiter } from './rate-limit/redis.js';
import { enqueueDueDeliveries, runDeliverJob, runIngestJob, runMatchJob, runPollJob, runRemindJob } from './jobs.js';
import { QUEUE_NAMES, connectionFor, type DeliverJobData, type IngestJobData, type JobData, type MatchJobData, type PollJobData, type QueueName, type Queues } from './queues.js';

/** How often the sweep re-queues due deliveries whose jobs were lost (e.g. Redis restarted empty). */
export const SWEEP_EVERY_MS = 60_000;
const SWEEP_SCHEDULER = 'sweep-deliveries';
/** How often the remind queue looks for due reminders unless `runner.remindEvery` says otherwise. */
export const REMIND_EVERY_MS = DEFAULT_REMIND_EVERY_MS;
const REMIND_SCHEDULER = 'remind-due';

export interface WorkerOptions {
  /** Which queues this process consumes (default: all). */
  readonly queues?: readonly QueueName[];
  /** Jobs processed at once per queue (default: `runner.concurrency`). */
  readonly concurrency?: number;
  /** How long a job's lock lasts without renewal: a killed worker's job is retried elsewhere after this (BullMQ default 30 s). */
  readonly lockDurationMs?: number;
  /** How often stalled jobs (of dead workers) are looked for (BullMQ default 30 s). */
  readonly stalledIntervalMs?: number;
  /** Per-endpoint rate limiter (default: Redis-backed under the queues' prefix, shared by every worker). */
  readonly limiter?: RateLimiter;
}

/** Running workers; `close()` lets the jobs in hand finish, then disconnects. */
export interface Workers {
  readonly workers: readonly Worker[];
  close(): Promise<void>;
}

/**
 * One job scheduler per enabled source on its interval (idempotent: every worker may call it at
 * start), schedulers of sources no longer configured removed, and the delivery sweep.
 */
export async function scheduleSources(deps: Deps, queues: Queues): Promise<void> {
  const wanted = new Set<string>();
  for (const s of deps.sources) {
    if (!s.config.enabled) continue;
    const id = `poll-${s.id}`;
    wanted.add(id);
    await queues.poll.upsertJobScheduler(id, { every: s.config.interval }, { name: 'poll', data: { sourceId: s.id } });
  }
  for (const existing of await queues.poll.getJobSchedulers(0, -1)) {
    if (!wanted.has(existing.key)) await queues.poll.removeJobScheduler(existing.key);
  }
  await queues.deliver.upsertJobScheduler(SWEEP_SCHEDULER, { every: SWEEP_EVERY_MS }, { name: 'sweep', data: {} });
  // Reminders are days apart; a run every remindEvery finds each one on its day (remind-stage.ts).
  await queues.remind.upsertJobScheduler(REMIND_SCHEDULER, { every: deps.config.runner.remindEvery ?? REMIND_EVERY_MS }, { name: 'remind', data: {} });
}

/** Start consuming: each stage's queue runs its job function (jobs.ts); the deliver queue also the sweep. */
export function startWorkers(base: Deps, queues: Queues, options: WorkerOptions = {}): Workers {
  const connection = connectionFor(queues.settings);
  const log = base.log.child({ runner: 'bullmq' });
  const ownLimiter = options.limiter === undefined;
  const limiter =
    options.limiter ??
    createRedisRateLimiter(queues.settings.redisUrl, queues.settings.prefix, (err) => log.warn({ err: describeError(err) }, 'rate limiter connection problem'));
  const deps: Deps = { ...base, limiter };
  const concurrency = options.concurrency ?? deps.config.runner.concurrency;
  const common = {
    connection,
    // Recorded on each job as processedBy: `status` and tests can tell which process did what.
    name: `${hostname()}:${process.pid}`,
    prefix: queues.settings.prefix,
    concurrency,
    ...(options.lockDurationMs === undefined ? {} : { lockDuration: options.lockDurationMs }),
    ...(options.stalledIntervalMs === undefined ? {} : { stalledInterval: options.stalledIntervalMs }),
  };
  const perSecond = deps.config.runner.deliveriesPerSecond;
  const processors: Record<QueueName, (job: Job<JobData>, token?: string) => Promise<unknown>> = {
    poll: (job) => runPollJob(deps, queues, job.data as PollJobData),
    ingest: (job) => runIngestJob(deps, queues, job.data as IngestJobData),
    match: (job) => runMatchJob(deps, queues, job.data as MatchJobData),
    deliver: (job, token) =>
      job.name === 'sweep' ? enqueueDueDeliveries(deps, queues) : runDeliverJob(deps, job, token, job.data as DeliverJobData),
    remind: () => runRemindJob(deps, queues),
  };
  const workers = (options.queues ?? QUEUE_NAMES).map((name) => {
    // The limiter lives in Redis, so the rate holds across every worker process together.
    const limiter = name === 'deliver' && perSecond > 0 ? { limiter: { max: perSecond, duration: 1_000 } } : {};
    const worker = new Worker<JobData>(name, processors[name], { ...common, ...limiter });
    worker.on('error', (err) => log.warn({ queue: name, err: describeError(err) }, 'queue connection problem'));
    worker.on('failed', (job, err) =>
      log.warn({ queue: name, job: job?.id, attemptsMade: job?.attemptsMade, err: describeError(err) }, 'job failed'),
    );
    return worker;
  });
  return {
    workers,
    close: async () => {
      await Promise.allSettled(workers.map((w) => w.close()));
      if (ownLimiter) await limiter.close?.();
    },
  };
}
