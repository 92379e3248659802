// The remind stage (DESIGN.md: poll → … → deliver → remind), the same function under both runners:
// read what may be due, plan (plan-reminders.ts, pure), record each reminder as a delivery under
// its unique key. Sending is the deliver stage's job, like any other alert.
import type { Alert } from '../deliver/channel.js';
import { AppError, describeError } from '../errors.js';
import type { Advisory } from '../model/advisory.js';
import type { Match } from '../model/match.js';
import type { Deps } from '../pipeline/deps.js';
import { activeStoreTargets } from '../pipeline/store-subscriptions.js';
import { addDays, utcDay } from './days.js';
import { remindOffsets } from './offsets.js';
import { OVERDUE_GRACE_DAYS, planReminders, type RecordedDelivery, type ReminderTarget } from './plan-reminders.js';

/** Most advance notices looked at per run (newest changed first); open notices are few. */
const NOTICE_LIMIT = 1_000;

export interface RemindSummary {
  /** Reminders due now that were not on record yet. */
  readonly planned: number;
  /** Of those, recorded by this run (another worker may have won the rest). */
  readonly created: number;
  /** Delivery keys of the reminders this run recorded. */
  readonly keys: readonly string[];
}

/**
 * Record every reminder due at `deps.clock.now()`. Idempotent: a second run (or a second worker at
 * the same moment) records nothing new, because each reminder's key is unique in the store.
 */
export async function remindDue(deps: Deps): Promise<RemindSummary> {
  const now = deps.clock.now();
  const configTargets: ReminderTarget[] = deps.config.subscriptions.map((s) => ({ id: s.id, remindBefore: s.remindBefore }));
  const targets = [...configTargets, ...(await activeStoreTargets(deps.store))].filter((t) => !t.kinds || t.kinds.includes('reminder'));
  if (targets.length === 0) return { planned: 0, created: 0, keys: [] };
  const candidates = await readCandidates(deps, now, targets);
  if (candidates.length === 0) return { planned: 0, created: 0, keys: [] };
  const ids = candidates.map((c) => c.advisory.id);
  const [deliveries, acknowledgements] = await Promise.all([deps.store.listDeliveries({ advisoryIds: ids }), deps.store.listAcknowledgements(ids)]);
  const recorded: RecordedDelivery[] = deliveries.map((d) => ({
    key: d.key,
    subscriptionId: d.subscriptionId,
    advisoryId: d.advisoryId,
    createdAt: d.createdAt,
    isReminder: (d.payload as Partial<Alert> | null)?.reminder !== undefined,
  }));
  const reminders = planReminders({ now, targets, candidates, deliveries: recorded, acknowledgements });
  const keys: string[] = [];
  for (const reminder of reminders) {
    const outcome = await deps.store.createDelivery({
      key: reminder.id,
      subscriptionId: reminder.subscriptionId,
      advisoryId: reminder.advisory.id,
      revision: reminder.advisory.revision,
      channel: deps.channels.get(reminder.subscriptionId)?.kind ?? (await deps.store.getSubscription(reminder.subscriptionId))?.channel ?? 'unknown',
      payload: reminder,
      createdAt: now,
    });
    if (outcome === 'created') keys.push(reminder.id);
  }
  if (keys.length > 0) deps.log.info({ reminders: keys.length }, 'reminders recorded');
  return { planned: reminders.length, created: keys.length, keys };
}

/** How often a runner looks for due reminders unless `runner.remindEvery` says otherwise. */
export const DEFAULT_REMIND_EVERY_MS = 15 * 60_000;

/**
 * remindDue for a runner's loop: a failure (the database gone for a moment) is logged and counts
 * as nothing recorded — the next run records what is still due, and the deliveries still go out.
 */
export async function remindDueLogged(deps: Deps): Promise<RemindSummary> {
  try {
    return await remindDue(deps);
  } catch (err) {
    deps.log.error({ code: err instanceof AppError ? err.code : 'INTERNAL', err: describeError(err) }, 'remind stage failed');
    return { planned: 0, created: 0, keys: [] };
  }
}

/**
 * Advisories that may have a reminder due: those with a match whose apply-by date lies between
 * the overdue grace period and the widest offset ahead, and open advance notices planned for today.
 * Three reads whatever the number of candidates (ids in the window, their matches, their
 * advisories), and nothing outside the window: a run's cost follows what is due, not what is stored.
 */
async function readCandidates(deps: Deps, now: Date, targets: readonly ReminderTarget[]): Promise<{ advisory: Advisory; matches: Match[] }[]> {
  const today = utcDay(now);
  const ahead = Math.max(0, ...targets.flatMap((t) => remindOffsets(t.remindBefore)));
  const [dueIds, notices] = await Promise.all([
    deps.store.listAdvisoryIdsByApplyBy(addDays(today, -OVERDUE_GRACE_DAYS), addDays(today, ahead)),
    deps.store.queryAdvisories({ limit: NOTICE_LIMIT, kinds: ['advance-notice'] }),
  ]);
  const noticesToday = notices.items.map((s) => s.advisory).filter((a) => a.plannedRelease && !a.closedBy && a.plannedRelease.date.slice(0, 10) === today);
  const noticeIds = new Set(noticesToday.map((a) => a.id));
  const byApplyBy = dueIds.filter((id) => !noticeIds.has(id));
  const [matches, stored] = await Promise.all([deps.store.listMatches([...noticeIds, ...byApplyBy]), deps.store.getAdvisories(byApplyBy)]);
  const byAdvisory = new Map<string, Match[]>();
  for (const m of matches) {
    const list = byAdvisory.get(m.advisoryId);
    if (list) list.push(m);
    else byAdvisory.set(m.advisoryId, [m]);
  }
  const candidates = noticesToday.map((advisory) => ({ advisory, matches: byAdvisory.get(advisory.id) ?? [] }));
  for (const { advisory } of stored) {
    // Notices are reminded of on their planned day only (above), never by apply-by date.
    if (advisory.kind !== 'advance-notice') candidates.push({ advisory, matches: byAdvisory.get(advisory.id) ?? [] });
  }
  return candidates;
}
