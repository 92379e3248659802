import { createApp } from '../../app.js';
import type { Config } from '../../config/load.js';
import { parseDuration } from '../../config/duration.js';
import { describeError } from '../../errors.js';
import { scheduleSources, startWorkers } from '../../pipeline/bullmq-runner.js';
import { enqueueDueDeliveries, enqueuePolls } from '../../pipeline/jobs.js';
import { QUEUE_NAMES, openQueues, type QueueName, type Queues } from '../../pipeline/queues.js';
import { loadCliConfig } from '../config-option.js';
import { CliFailure } from '../failure.js';

export interface WorkerCommandOptions {
  readonly config?: string;
  readonly queues?: string;
  readonly concurrency?: string;
  readonly schedule?: boolean;
  readonly pollNow?: boolean;
  readonly lockDuration?: string;
}

/**
 * `secwatch worker`: consume the BullMQ queues until SIGINT/SIGTERM. Every worker (re)declares the
 * sources' job schedulers, so starting any one of them is enough to get polling going.
 */
export async function workerCommand(options: WorkerCommandOptions): Promise<number> {
  const config = loadCliConfig(options.config);
  const redisUrl = requireRedis(config, 'worker');
  const names = parseQueues(options.queues);
  const concurrency = options.concurrency === undefined ? undefined : parsePositive(options.concurrency, '--concurrency');
  const lockDurationMs = options.lockDuration === undefined ? undefined : parseDuration(options.lockDuration);
  if (options.lockDuration !== undefined && lockDurationMs === undefined) throw new CliFailure(2, `--lock-duration: "${options.lockDuration}" is not a duration`);
  const app = await createApp(config);
  const queues = openQueues({ redisUrl, prefix: config.runner.prefix }, (err) => app.log.warn({ err: describeError(err) }, 'queue connection problem'));
  try {
    if (options.schedule !== false) await scheduleSources(app, queues);
    if (options.pollNow) await enqueuePolls(app, queues);
    // Deliveries recorded while no worker ran (or by an inline run) are picked up at once.
    await enqueueDueDeliveries(app, queues);
    const workers = startWorkers(app, queues, {
      queues: names,
      ...(concurrency === undefined ? {} : { concurrency }),
      ...(lockDurationMs === undefined ? {} : { lockDurationMs, stalledIntervalMs: Math.max(500, Math.round(lockDurationMs / 2)) }),
    });
    process.stderr.write(`secwatch worker ${process.pid}: consuming ${names.join(', ')} on prefix ${config.runner.prefix}\n`);
    await new Promise<void>((resolve) => {
      for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => resolve());
    });
    await workers.close();
    return 0;
  } finally {
    await closeAll(queues, app);
  }
}

async function closeAll(queues: Queues, app: { close(): Promise<void> }): Promise<void> {
  await queues.close();
  await app.close();
}

/** The Redis URL or a one-line failure saying how to give it (never echoing a URL). */
export function requireRedis(config: Config, command: string): string {
  if (config.redisUrl === undefined || config.redisUrl === '') {
    throw new CliFailure(2, `${command} needs Redis: set REDIS_URL (e.g. redis://127.0.0.1:6379)`);
  }
  return config.redisUrl;
}

function parseQueues(list: string | undefined): QueueName[] {
  if (list === undefined) return [...QUEUE_NAMES];
  const names = list.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const known = new Set<string>(QUEUE_NAMES);
  const bad = names.find((n) => !known.has(n));
  if (bad !== undefined || names.length === 0) throw new CliFailure(2, `--queues: "${bad ?? list}" is not one of ${QUEUE_NAMES.join(', ')}`);
  return names as QueueName[];
}

function parsePositive(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 256) throw new CliFailure(2, `${flag}: "${value}" is not a whole number from 1 to 256`);
  return n;
}
