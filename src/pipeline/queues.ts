// The BullMQ queues of the bullmq runner (https://docs.bullmq.io): names, job shapes, ids, options.
import { Queue, type ConnectionOptions, type JobsOptions } from 'bullmq';

/** One queue per stage that runs as a job: `poll` runs poll → ingest → match → plan; `deliver` sends one alert. */
export const QUEUE_NAMES = ['poll', 'deliver'] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

/** Jobs carry ids only; the state lives in the store, so a retried job re-reads it. */
export interface PollJobData {
  readonly sourceId: string;
}
export interface DeliverJobData {
  readonly deliveryKey: string;
}
/** `sweep` (on the deliver queue) enqueues every due delivery: a safety net for jobs lost with Redis. */
export type JobData = PollJobData | DeliverJobData | Record<string, never>;

/** Where the queues live: a Redis URL and the key prefix (one per deployment, or per test file). */
export interface QueueSettings {
  readonly redisUrl: string;
  readonly prefix: string;
}

/** The queues one process talks to. */
export interface Queues {
  readonly poll: Queue<JobData>;
  readonly deliver: Queue<JobData>;
  readonly settings: QueueSettings;
  close(): Promise<void>;
}

/** Retries per queue: a poll retries a few times soon; a delivery's own backoff is the store's (moveToDelayed). */
export const JOB_OPTIONS: Record<QueueName, JobsOptions> = {
  poll: { attempts: 3, backoff: { type: 'exponential', delay: 5_000 }, removeOnComplete: { count: 1_000 }, removeOnFail: { count: 5_000 } },
  deliver: { attempts: 5, backoff: { type: 'exponential', delay: 5_000 }, removeOnComplete: { age: 86_400, count: 100_000 }, removeOnFail: { count: 10_000 } },
};

/** Connection options BullMQ turns into its own ioredis clients (the URL wins over BullMQ's defaults). */
export function connectionFor(settings: QueueSettings): ConnectionOptions {
  return { url: settings.redisUrl };
}

/** Open both queues; errors (Redis gone for a while) are logged by the caller, never thrown at random. */
export function openQueues(settings: QueueSettings, onError: (err: Error) => void = () => undefined): Queues {
  const connection = connectionFor(settings);
  const poll = new Queue<JobData>('poll', { connection, prefix: settings.prefix, defaultJobOptions: JOB_OPTIONS.poll });
  const deliver = new Queue<JobData>('deliver', { connection, prefix: settings.prefix, defaultJobOptions: JOB_OPTIONS.deliver });
  poll.on('error', onError);
  deliver.on('error', onError);
  return {
    poll,
    deliver,
    settings,
    close: async () => {
      await Promise.allSettled([poll.close(), deliver.close()]);
    },
  };
}

/**
 * A delivery's job id is its delivery key, so the same alert queued twice is one job. BullMQ
 * refuses ':' in custom ids (and keys hold several), so ':' and '%' are escaped — injectively.
 */
export function deliverJobId(deliveryKey: string): string {
  return `deliver-${deliveryKey.replace(/%/g, '%25').replace(/:/g, '%3A')}`;
}

/** A manual poll's job id: source + schedule slot, so a poll asked for twice in one interval runs once. */
export function pollJobId(sourceId: string, intervalMs: number, now: Date): string {
  return `poll-${sourceId}-${Math.floor(now.getTime() / Math.max(1, intervalMs))}`;
}
