// What a bullmq worker does with each job: the very stage functions the inline runner calls.
import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import { processSource, type SourceReport } from './cycle.js';
import { attempt } from './deliver-alerts.js';
import type { Deps } from './deps.js';
import { deliverJobId, pollJobId, type DeliverJobData, type JobData, type PollJobData, type Queues } from './queues.js';

/** Codes of failures that another try cannot fix: the job fails at once instead of retrying. */
const PERMANENT_CODES = new Set(['PARSE_INVALID', 'CONFIG_INVALID', 'FETCH_BLOCKED', 'FETCH_NOT_FOUND']);

/** What a deliver job ended as; `already-*` is a duplicate or retried job finding the work done. */
export type DeliverJobOutcome = 'sent' | 'failed' | 'missing' | 'already-sent' | 'already-failed';

/**
 * Poll job: poll → ingest → match → plan → record, exactly `processSource`, then queue what is due.
 * A failed poll throws so BullMQ retries it with the poll queue's backoff (the failure is also
 * recorded in the source state, as inline).
 */
export async function runPollJob(deps: Deps, queues: Queues, data: PollJobData): Promise<SourceReport | { sourceId: string; status: 'skipped' }> {
  const source = deps.sources.find((s) => s.id === data.sourceId);
  // A source removed from (or disabled in) the config while its scheduler still fires: nothing to do.
  if (!source || !source.config.enabled) return { sourceId: data.sourceId, status: 'skipped' };
  const report = await processSource(deps, source);
  if (report.status === 'error') {
    throw PERMANENT_CODES.has(report.code) ? new UnrecoverableError(report.error) : new Error(report.error);
  }
  if (report.status === 'ok' && report.alerts > 0) await enqueueDueDeliveries(deps, queues);
  return report;
}

/**
 * Deliver job: re-read the delivery from the store and attempt it only if it is still due, so a
 * duplicated, retried or stalled job never sends twice what was recorded as sent. A delivery the
 * channel asks to retry waits in BullMQ's delayed set until the store's `nextAttemptAt`.
 */
export async function runDeliverJob(deps: Deps, job: Job<JobData>, token: string | undefined, data: DeliverJobData): Promise<DeliverJobOutcome> {
  const record = await deps.store.getDelivery(data.deliveryKey);
  if (!record) return 'missing';
  if (record.status === 'sent') return 'already-sent';
  if (record.status === 'failed') return 'already-failed';
  const notBefore = record.status === 'retry' && record.nextAttemptAt !== undefined ? Date.parse(record.nextAttemptAt) : 0;
  if (notBefore > deps.clock.now().getTime()) return postpone(job, token, notBefore);
  const outcome = await attempt(deps, record);
  if (outcome !== 'retry') return outcome;
  const next = await deps.store.getDelivery(data.deliveryKey);
  return postpone(job, token, next?.nextAttemptAt === undefined ? deps.clock.now().getTime() : Date.parse(next.nextAttemptAt));
}

/** Queue a deliver job for every due delivery; the job id is the delivery key, so duplicates collapse. */
export async function enqueueDueDeliveries(deps: Deps, queues: Queues): Promise<number> {
  const due = await deps.store.listDueDeliveries(deps.clock.now());
  if (due.length === 0) return 0;
  await queues.deliver.addBulk(
    due.map((d) => ({ name: 'deliver', data: { deliveryKey: d.key }, opts: { jobId: deliverJobId(d.key) } })),
  );
  return due.length;
}

/** Queue one poll of each given source now (e.g. `worker --poll-now`, tests); at most once per interval slot. */
export async function enqueuePolls(deps: Deps, queues: Queues, sourceIds?: readonly string[]): Promise<void> {
  const now = deps.clock.now();
  const sources = deps.sources.filter((s) => s.config.enabled && (sourceIds === undefined || sourceIds.includes(s.id)));
  await queues.poll.addBulk(
    sources.map((s) => ({ name: 'poll', data: { sourceId: s.id }, opts: { jobId: pollJobId(s.id, s.config.interval, now) } })),
  );
}

async function postpone(job: Job<JobData>, token: string | undefined, at: number): Promise<never> {
  await job.moveToDelayed(at, token);
  throw new DelayedError();
}
