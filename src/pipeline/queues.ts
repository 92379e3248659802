// The BullMQ queues of the bullmq runner (https://docs.bullmq.io): names, job shapes, ids, options.
import { Queue, type ConnectionOptions, type JobsOptions } from 'bullmq';
import type { SignatureInfo, SourceKind } from '../model/advisory.js';
import type { MaterialChange } from '../model/changes.js';

/**
 * One queue per stage: `poll` fetches and verifies one source, `ingest` parses and stores one
 * document, `match` matches and plans one changed advisory, `deliver` sends one alert, `remind`
 * records the apply-by reminders that are due (src/remind/) and queues their deliveries.
 */
export const QUEUE_NAMES = ['poll', 'ingest', 'match', 'deliver', 'remind'] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

/** Jobs carry ids only (never document bodies or alerts); the state lives in the store, so a retried job re-reads it. */
export interface PollJobData {
  readonly sourceId: string;
}
/** One fetched document, by the SHA-256 it is stored under, with what the poll learnt of it. */
export interface IngestJobData {
  readonly sourceId: string;
  readonly sha256: string;
  readonly url: string;
  readonly sourceKind: SourceKind;
  readonly contentType?: string;
  readonly fetchedAt: string;
  /** The verify stage's verdict (a few words): ingest records it on the advisories. */
  readonly signature: SignatureInfo;
}
/** One new or materially revised advisory, by id and revision; `changes` says what changed (small). */
export interface MatchJobData {
  readonly advisoryId: string;
  readonly revision: number;
  readonly status: 'new' | 'revised';
  readonly changes?: readonly MaterialChange[];
}
export interface DeliverJobData {
  readonly deliveryKey: string;
}
/** `sweep` (on the deliver queue) enqueues every due delivery: a safety net for jobs lost with Redis. */
/** A remind run carries nothing: it reads what is due from the store (ids come from its job scheduler). */
export type RemindJobData = Record<string, never>;
export type JobData = PollJobData | IngestJobData | MatchJobData | DeliverJobData | Record<string, never>;

/** Where the queues live: a Redis URL and the key prefix (one per deployment, or per test file). */
export interface QueueSettings {
  readonly redisUrl: string;
  readonly prefix: string;
}

/** The queues one process talks to. */
export interface Queues extends Readonly<Record<QueueName, Queue<JobData>>> {
  readonly settings: QueueSettings;
  close(): Promise<void>;
}

/**
 * Retries and backoff per queue: a poll retries a few times soon; ingest and match (store work)
 * ride out a database restart; a delivery's own backoff is the store's (moveToDelayed).
 */
export const JOB_OPTIONS: Record<QueueName, JobsOptions> = {
  poll: { attempts: 3, backoff: { type: 'exponential', delay: 5_000 }, removeOnComplete: { count: 1_000 }, removeOnFail: { count: 5_000 } },
  ingest: { attempts: 5, backoff: { type: 'exponential', delay: 2_000 }, removeOnComplete: { count: 10_000 }, removeOnFail: { count: 5_000 } },
  match: { attempts: 5, backoff: { type: 'exponential', delay: 2_000 }, removeOnComplete: { age: 86_400, count: 100_000 }, removeOnFail: { count: 10_000 } },
  deliver: { attempts: 5, backoff: { type: 'exponential', delay: 5_000 }, removeOnComplete: { age: 86_400, count: 100_000 }, removeOnFail: { count: 10_000 } },
  // A remind run is store work only (it records deliveries; the deliver queue sends them): ride out a restart.
  remind: { attempts: 5, backoff: { type: 'exponential', delay: 5_000 }, removeOnComplete: { count: 1_000 }, removeOnFail: { count: 1_000 } },
};

/** Connection options BullMQ turns into its own ioredis clients (the URL wins over BullMQ's defaults). */
export function connectionFor(settings: QueueSettings): ConnectionOptions {
  return { url: settings.redisUrl };
}

/** Open every stage's queue; errors (Redis gone for a while) are logged by the caller, never thrown at random. */
export function openQueues(settings: QueueSettings, onError: (err: Error) => void = () => undefined): Queues {
  const connection = connectionFor(settings);
  const open = (name: QueueName): Queue<JobData> => {
    const queue = new Queue<JobData>(name, { connection, prefix: settings.prefix, defaultJobOptions: JOB_OPTIONS[name] });
    queue.on('error', onError);
    return queue;
  };
  const opened = Object.fromEntries(QUEUE_NAMES.map((name) => [name, open(name)])) as Record<QueueName, Queue<JobData>>;
  return {
    ...opened,
    settings,
    close: async () => {
      await Promise.allSettled(Object.values(opened).map((q) => q.close()));
    },
  };
}

/** BullMQ refuses ':' in custom ids (keys and advisory ids hold several): ':' and '%' escaped, injectively. */
function idPart(text: string): string {
  return text.replace(/%/g, '%25').replace(/:/g, '%3A');
}

/** An ingest job per (source, document bytes): the same document queued twice is one job. */
export function ingestJobId(sourceId: string, sha256: string): string {
  return `ingest-${idPart(sourceId)}-${sha256}`;
}

/** A match job per (advisory, revision): a revision is matched and planned once. */
export function matchJobId(advisoryId: string, revision: number): string {
  return `match-${idPart(advisoryId)}-${revision}`;
}

/**
 * A delivery's job id is its delivery key and the attempts made so far, so the same alert queued
 * twice in one state is one job, while a delivery put back by `deliveries --retry` (or swept after
 * its job was lost) gets a new one (the claim keeps two live jobs from sending twice).
 */
export function deliverJobId(deliveryKey: string, attempts = 0): string {
  return `deliver-${idPart(deliveryKey)}-${attempts}`;
}

/** A manual poll's job id: source + schedule slot, so a poll asked for twice in one interval runs once. */
export function pollJobId(sourceId: string, intervalMs: number, now: Date): string {
  return `poll-${sourceId}-${Math.floor(now.getTime() / Math.max(1, intervalMs))}`;
}
