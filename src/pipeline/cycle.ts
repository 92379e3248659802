import { AppError, describeError } from '../errors.js';
import type { Source } from '../sources/source.js';
import type { UpsertStatus } from '../store/store.js';
import { remindDueLogged } from '../remind/index.js';
import { mapLimit } from '../util/concurrency.js';
import { deliverDue, type DeliverySummary } from './deliver-alerts.js';
import type { Logger } from '../util/logger.js';
import type { Deps } from './deps.js';
import { verifyAndIngest } from './verify-ingest.js';
import { matchAndPlan } from './match-plan.js';
import { readCycleStates, type CycleStates } from './cycle-states.js';
import { pollSource, recordPollFailure, type PollStates } from './poll.js';

export type SourceReport =
  | { readonly sourceId: string; readonly status: 'not-modified' }
  | {
      readonly sourceId: string;
      readonly status: 'ok';
      readonly documents: number;
      readonly advisories: Record<UpsertStatus, number>;
      readonly matches: number;
      readonly alerts: number;
      /** Documents that failed the source's verify policy and were quarantined. */
      readonly quarantined?: number;
      /** Documents of the poll that could not be fetched or parsed, each "source: url: cause". */
      readonly problems?: readonly string[];
      /** Alerts held back because another source's alert already covered them: "sub: X merged with Y (…)". */
      readonly merged?: readonly string[];
    }
  | { readonly sourceId: string; readonly status: 'error'; readonly code: string; readonly error: string };

export interface CycleSummary {
  readonly sources: readonly SourceReport[];
  readonly deliveries: DeliverySummary & { readonly planned: number };
}

/**
 * One full cycle: every enabled source (bounded concurrency) through poll → ingest → match →
 * plan, then every due delivery. A failing source is reported and recorded; it never stops the others.
 */
export async function runCycle(deps: Deps, sources: readonly Source[] = deps.sources): Promise<CycleSummary> {
  const enabled = sources.filter((s) => s.config.enabled);
  const states = await readCycleStates(deps.store, enabled.map((s) => s.id));
  const reports = await mapLimit(enabled, deps.config.runner.concurrency, (source) => processSource(deps, source, states));
  await saveNotModified(deps, states);
  // Reminders due now are recorded before the deliveries go out, so they are sent this round.
  const reminded = await remindDueLogged(deps);
  const planned = reports.reduce((n, r) => n + (r.status === 'ok' ? r.alerts : 0), 0) + reminded.created;
  const delivered = await deliverDue(deps);
  return { sources: reports, deliveries: { planned, ...delivered } };
}

/**
 * The 304s' states, in one transaction. Not saving them loses nothing but the poll times: those
 * sources are asked with their older validators next time. So a failure is logged, not thrown.
 */
async function saveNotModified(deps: Deps, states: CycleStates): Promise<void> {
  await states.saveNotModified().catch((err: unknown) => deps.log.error({ err: describeError(err) }, 'could not save the state of the sources answered 304'));
}

/** Poll and ingest one source; any error becomes a report line naming the source and cause. */
export async function processSource(deps: Deps, source: Source, states?: PollStates): Promise<SourceReport> {
  // pino builds a child logger eagerly, whatever the level (1–3 µs): a 304, the common case, makes none.
  const sourceLog = (): Logger => deps.log.child({ source: source.id });
  try {
    const polled = await pollSource(deps, source, states);
    if (polled.status === 'not-modified') {
      deps.log.info({ source: source.id }, 'not modified');
      return { sourceId: source.id, status: 'not-modified' };
    }
    const log = sourceLog();
    const { outcomes, quarantined, problems: unparsed } = await verifyAndIngest(deps, source, polled.documents);
    const problems = [...polled.problems, ...unparsed];
    // Match → plan → record (the function a BullMQ match job runs). The same CVE from another
    // source already alerted: held back, and the report says so (src/merge/).
    const { matches, created, merged } = await matchAndPlan(deps, outcomes);
    await polled.commit();
    // Some documents failed: the poll still counts, and the source state says which ones.
    if (problems.length > 0) await recordPollFailure(deps, source.id, new Error(problems.join('; ')));
    const counts: Record<UpsertStatus, number> = { new: 0, revised: 0, updated: 0, unchanged: 0 };
    for (const o of outcomes) counts[o.status]++;
    const matchCount = [...matches.values()].reduce((n, m) => n + m.length, 0);
    log.info({ ...counts, matches: matchCount, alerts: created, merged: merged.length }, 'polled');
    return {
      sourceId: source.id,
      status: 'ok',
      documents: polled.documents.length,
      advisories: counts,
      matches: matchCount,
      alerts: created,
      ...(quarantined > 0 ? { quarantined } : {}),
      ...(problems.length > 0 ? { problems } : {}),
      ...(merged.length > 0 ? { merged } : {}),
    };
  } catch (err) {
    const code = err instanceof AppError ? err.code : 'INTERNAL';
    const message = `${source.id}: ${describeError(err)}`;
    const log = sourceLog();
    log.error({ code, err: describeError(err) }, 'source failed');
    await recordPollFailure(deps, source.id, err).catch((e: unknown) => log.error({ err: describeError(e) }, 'could not record failure'));
    return { sourceId: source.id, status: 'error', code, error: message };
  }
}
