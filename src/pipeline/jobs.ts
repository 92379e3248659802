// What a bullmq worker does with each job: the very stage functions the inline runner calls
// (pollSource, verifyOne, ingestDocument, matchAndPlan, deliverOne), one stage per queue, each
// job handing the next only ids — document hashes, advisory ids, delivery keys — never bodies.
import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import { AppError, ParseError, describeError } from '../errors.js';
import type { RawDocument } from '../model/raw-document.js';
import { remindDue } from '../remind/index.js';
import type { UpsertOutcome } from '../store/store.js';
import { sha256Hex } from '../util/hash.js';
import { deliverOne } from './deliver-alerts.js';
import type { Deps } from './deps.js';
import { ingestDocument } from './ingest.js';
import { matchAndPlan } from './match-plan.js';
import { pollSource, recordPollFailure } from './poll.js';
import {
  deliverJobId,
  ingestJobId,
  matchJobId,
  pollJobId,
  type DeliverJobData,
  type IngestJobData,
  type JobData,
  type MatchJobData,
  type PollJobData,
  type Queues,
} from './queues.js';
import { sourceVerifySettings, verifyOne } from './verify-ingest.js';

/** Codes of failures that another try cannot fix: the job fails at once instead of retrying. */
const PERMANENT_CODES = new Set(['PARSE_INVALID', 'CONFIG_INVALID', 'FETCH_BLOCKED', 'FETCH_NOT_FOUND']);

/** What a deliver job ended as; `already-*` is a duplicate or retried job finding the work done. */
export type DeliverJobOutcome = 'sent' | 'failed' | 'missing' | 'already-sent' | 'already-failed';

export type PollJobResult =
  | { readonly sourceId: string; readonly status: 'skipped' | 'not-modified' }
  | { readonly sourceId: string; readonly status: 'queued'; readonly documents: number; readonly quarantined: number; readonly problems: readonly string[] };

/**
 * Poll job: fetch one source (documents stored by hash), verify each document (quarantining what
 * fails the source's policy), queue an ingest job per document, then save the source's new
 * validators/cursor — the queued jobs are durable, so nothing is skipped. A failed poll is recorded
 * in the source state and thrown, so BullMQ retries it with the poll queue's backoff.
 */
export async function runPollJob(deps: Deps, queues: Queues, data: PollJobData): Promise<PollJobResult> {
  const source = deps.sources.find((s) => s.id === data.sourceId);
  // A source removed from (or disabled in) the config while its scheduler still fires: nothing to do.
  if (!source || !source.config.enabled) return { sourceId: data.sourceId, status: 'skipped' };
  try {
    const polled = await pollSource(deps, source);
    if (polled.status === 'not-modified') return { sourceId: source.id, status: 'not-modified' };
    const settings = sourceVerifySettings(deps, source);
    const jobs: { name: string; data: IngestJobData; opts: { jobId: string } }[] = [];
    let quarantined = 0;
    for (const doc of polled.documents) {
      const verdict = await verifyOne(deps, source, settings, doc);
      if (verdict === 'quarantined') {
        quarantined++;
        continue;
      }
      const sha256 = sha256Hex(doc.body);
      const job: IngestJobData = {
        sourceId: source.id,
        sha256,
        url: doc.url,
        sourceKind: doc.sourceKind,
        fetchedAt: doc.fetchedAt.toISOString(),
        signature: verdict.signature,
        ...(doc.contentType === undefined ? {} : { contentType: doc.contentType }),
      };
      jobs.push({ name: 'ingest', data: job, opts: { jobId: ingestJobId(source.id, sha256) } });
    }
    await queues.ingest.addBulk(jobs);
    await polled.commit();
    if (polled.problems.length > 0) await recordPollFailure(deps, source.id, new Error(polled.problems.join('; ')));
    return { sourceId: source.id, status: 'queued', documents: polled.documents.length, quarantined, problems: polled.problems };
  } catch (err) {
    await recordPollFailure(deps, source.id, err).catch(() => undefined);
    throw asJobError(`${source.id}: ${describeError(err)}`, err);
  }
}

/**
 * Ingest job: read the document back from the store by its hash, parse, rate and store it, and
 * queue a match job per new or materially revised advisory. A document that does not parse fails
 * its job for good (visible in `secwatch status`) and is named in the source state.
 */
export async function runIngestJob(deps: Deps, queues: Queues, data: IngestJobData): Promise<{ advisories: number; changed: number } | { status: 'skipped' }> {
  const source = deps.sources.find((s) => s.id === data.sourceId);
  if (!source || !source.config.enabled) return { status: 'skipped' };
  const stored = await deps.store.getDocument(data.sha256);
  if (!stored) throw new UnrecoverableError(`${data.sourceId}: ${data.url}: document ${data.sha256} is not in the store`);
  const doc: RawDocument = {
    sourceId: data.sourceId,
    sourceKind: data.sourceKind,
    url: data.url,
    body: stored.body,
    fetchedAt: new Date(data.fetchedAt),
    ...(data.contentType === undefined ? {} : { contentType: data.contentType }),
  };
  let outcomes: UpsertOutcome[];
  try {
    outcomes = await ingestDocument(deps, source, doc, data.signature);
  } catch (err) {
    if (err instanceof ParseError) await recordPollFailure(deps, source.id, new Error(`${source.id}: ${data.url}: ${describeError(err)}`)).catch(() => undefined);
    throw asJobError(`${source.id}: ${data.url}: ${describeError(err)}`, err);
  }
  const changed = outcomes.filter((o) => o.status === 'new' || o.status === 'revised');
  await queues.match.addBulk(
    changed.map((o) => {
      const job: MatchJobData = {
        advisoryId: o.advisory.id,
        revision: o.advisory.revision,
        status: o.status === 'new' ? 'new' : 'revised',
        ...(o.changes?.length ? { changes: o.changes } : {}),
      };
      return { name: 'match', data: job, opts: { jobId: matchJobId(o.advisory.id, o.advisory.revision) } };
    }),
  );
  return { advisories: outcomes.length, changed: changed.length };
}

/**
 * Match job: match and plan one advisory revision (matchAndPlan, as inline) and queue a deliver
 * job per alert. A revision superseded meanwhile is left to its own job.
 */
export async function runMatchJob(deps: Deps, queues: Queues, data: MatchJobData): Promise<{ planned: number; created: number } | { status: 'superseded' }> {
  const stored = await deps.store.getAdvisory(data.advisoryId);
  if (!stored) throw new UnrecoverableError(`match: advisory ${data.advisoryId} is not in the store`);
  if (stored.advisory.revision !== data.revision) return { status: 'superseded' };
  const outcome: UpsertOutcome = { id: data.advisoryId, status: data.status, advisory: stored.advisory, ...(data.changes ? { changes: data.changes } : {}) };
  const result = await matchAndPlan(deps, [outcome]);
  // Every planned key, also those recorded by an earlier try of this job: their jobs collapse by id.
  await queues.deliver.addBulk(result.planned.map((key) => ({ name: 'deliver', data: { deliveryKey: key }, opts: { jobId: deliverJobId(key) } })));
  return { planned: result.planned.length, created: result.created };
}

/**
 * Deliver job: the deliver stage (`deliverOne`) for its key. It re-reads the delivery and claims
 * it atomically before sending, so a duplicated, retried or stalled job never sends twice. A
 * delivery that must wait — its endpoint's rate limit, a retry's backoff, another worker's claim —
 * waits in BullMQ's delayed set (`moveToDelayed`): delayed, never failed.
 */
export async function runDeliverJob(deps: Deps, job: Job<JobData>, token: string | undefined, data: DeliverJobData): Promise<DeliverJobOutcome> {
  const step = await deliverOne(deps, data.deliveryKey);
  switch (step.outcome) {
    case 'retry':
    case 'not-yet':
    case 'claimed':
      return postpone(job, token, step.retryAt);
    case 'held':
      // BullMQ's delays run on real time, and so does the limiter's window, whatever deps.clock says.
      return postpone(job, token, Date.now() + step.waitMs);
    case 'sent':
    case 'failed':
    case 'missing':
    case 'already-sent':
    case 'already-failed':
      return step.outcome;
  }
}

/** Queue a deliver job for every due delivery; the job id is the delivery key and attempts, so duplicates collapse. */
export async function enqueueDueDeliveries(deps: Deps, queues: Queues): Promise<number> {
  const due = await deps.store.listDueDeliveries(deps.clock.now());
  if (due.length === 0) return 0;
  await queues.deliver.addBulk(
    due.map((d) => ({ name: 'deliver', data: { deliveryKey: d.key }, opts: { jobId: deliverJobId(d.key, d.attempts) } })),
  );
  return due.length;
}

/**
 * Remind job: record the reminders due now (src/remind/, the function the inline runner calls) and
 * queue a deliver job for each. Reminder keys are unique in the store, so two workers running it at
 * the same moment record — and send — each reminder once; one whose deliver job was lost (Redis
 * gone between the two steps) is picked up by the deliver queue's sweep.
 */
export async function runRemindJob(deps: Deps, queues: Queues): Promise<{ planned: number; created: number }> {
  const { planned, created, keys } = await remindDue(deps);
  await queues.deliver.addBulk(keys.map((key) => ({ name: 'deliver', data: { deliveryKey: key }, opts: { jobId: deliverJobId(key) } })));
  return { planned, created };
}

/** Queue one poll of each given source now (e.g. `worker --poll-now`, tests); at most once per interval slot. */
export async function enqueuePolls(deps: Deps, queues: Queues, sourceIds?: readonly string[]): Promise<void> {
  const now = deps.clock.now();
  const sources = deps.sources.filter((s) => s.config.enabled && (sourceIds === undefined || sourceIds.includes(s.id)));
  await queues.poll.addBulk(
    sources.map((s) => ({ name: 'poll', data: { sourceId: s.id }, opts: { jobId: pollJobId(s.id, s.config.interval, now) } })),
  );
}

/** A job's error: permanent causes (bad document, blocked or missing URL) fail at once, the rest retry. */
function asJobError(message: string, err: unknown): Error {
  const code = err instanceof AppError ? err.code : 'INTERNAL';
  return PERMANENT_CODES.has(code) ? new UnrecoverableError(message) : new Error(message, { cause: err });
}

async function postpone(job: Job<JobData>, token: string | undefined, at: number): Promise<never> {
  await job.moveToDelayed(at, token);
  throw new DelayedError();
}
