// Which reminders are due now, pure: apply-by reminders for matched items nobody acknowledged, and
// the planned-day reminder of an open advance notice. The stage (remind-stage.ts) does the I/O.
import type { Alert, AlertReminder } from '../deliver/channel.js';
import type { Advisory } from '../model/advisory.js';
import type { Match } from '../model/match.js';
import type { Acknowledgement } from '../model/subscription.js';
import { planningLines } from '../pipeline/planning.js';
import { addDays, dayStart, daysBetween, utcDay } from './days.js';
import { dueOffset, remindOffsets } from './offsets.js';

/**
 * One overdue reminder is sent the first run after the apply-by day, and no later than this many
 * days after it (a secwatch that was stopped longer does not dig up old deadlines).
 */
export const OVERDUE_GRACE_DAYS = 7;

/** What the planner reads of a subscription (config and store subscriptions both fit). */
export interface ReminderTarget {
  readonly id: string;
  /** Kinds wanted; reminders only when absent or when it lists 'reminder'. */
  readonly kinds?: readonly string[] | undefined;
  readonly remindBefore?: readonly string[] | undefined;
}

/** A delivery already on record, as far as reminders care. */
export interface RecordedDelivery {
  readonly key: string;
  readonly subscriptionId: string;
  readonly advisoryId: string;
  readonly createdAt: string;
  /** true for a reminder, false for the alert itself. */
  readonly isReminder: boolean;
}

export interface ReminderInput {
  readonly now: Date;
  readonly targets: readonly ReminderTarget[];
  /** Advisories that may be due, each with every current match of it. */
  readonly candidates: readonly { readonly advisory: Advisory; readonly matches: readonly Match[] }[];
  /** Every delivery of the candidate advisories (alerts and earlier reminders). */
  readonly deliveries: readonly RecordedDelivery[];
  readonly acknowledgements: readonly Acknowledgement[];
}

/** The part of a reminder's delivery key after `${subscription}:${advisory}:remind:`. */
export function reminderKey(subscriptionId: string, advisoryId: string, slot: string, date: string): string {
  return `${subscriptionId}:${advisoryId}:remind:${slot}:${date}`;
}

/**
 * The reminders to record now, each under a key that names subscription, advisory, which
 * reminder and the date it is about: a rerun plans keys already recorded (left out here, and
 * refused by the store anyway), a moved date plans new ones. A subscription is reminded only
 * about what it was alerted on, and not when the alert itself came inside the reminder's window.
 */
export function planReminders(input: ReminderInput): Alert[] {
  const today = utcDay(input.now);
  const recorded = new Set(input.deliveries.map((d) => d.key));
  const acked = new Set(input.acknowledgements.map((a) => ackKey(a.advisoryId, a.itemCollection, a.itemName)));
  // When each subscription was last alerted about each advisory (reminders do not count).
  const lastAlerted = new Map<string, number>();
  for (const d of input.deliveries) {
    if (d.isReminder) continue;
    const k = ackKey(d.subscriptionId, d.advisoryId, '');
    lastAlerted.set(k, Math.max(lastAlerted.get(k) ?? Number.NEGATIVE_INFINITY, Date.parse(d.createdAt)));
  }
  const reminders: Alert[] = [];
  for (const { advisory, matches } of input.candidates) {
    const open = matches.filter((m) => !acked.has(ackKey(advisory.id, m.item.collection, m.item.name)));
    // Every matched item acknowledged ("applied" / "not-applicable"): nothing left to remind of.
    if (matches.length > 0 && open.length === 0) continue;
    for (const target of input.targets) {
      if (target.kinds && !target.kinds.includes('reminder')) continue;
      const lastAlertAt = lastAlerted.get(ackKey(target.id, advisory.id, ''));
      if (lastAlertAt === undefined) continue;
      const due = advisory.kind === 'advance-notice' ? plannedDay(advisory, today, lastAlertAt) : applyByDue(open, target, today, lastAlertAt);
      if (!due) continue;
      const key = reminderKey(target.id, advisory.id, due.slot, due.reminder.date);
      if (recorded.has(key)) continue;
      reminders.push({
        id: key,
        subscriptionId: target.id,
        change: 'new',
        advisory,
        matches: open,
        applyBy: due.applyBy,
        applyByRule: due.applyByRule,
        reminder: due.reminder,
        ...(advisory.kind === 'advance-notice' ? { planning: planningLines(advisory) } : {}),
      });
    }
  }
  return reminders;
}

interface Due {
  readonly slot: string;
  readonly reminder: AlertReminder;
  readonly applyBy: string | null;
  readonly applyByRule: string;
}

/** The apply-by reminder due today for the earliest date among the unacknowledged matches, if any. */
function applyByDue(open: readonly Match[], target: ReminderTarget, today: string, lastAlertAt: number): Due | undefined {
  const dated = open.filter((m): m is Match & { applyBy: string } => m.applyBy !== null).sort((a, b) => a.applyBy.localeCompare(b.applyBy));
  const first = dated[0];
  if (!first) return undefined;
  const date = first.applyBy.slice(0, 10);
  const daysLeft = daysBetween(today, date);
  const base = { applyBy: date, applyByRule: first.applyByRule };
  if (daysLeft < 0) {
    // Overdue: once, soon after the day; not when the alert itself went out after the date (it said OVERDUE).
    if (daysLeft < -OVERDUE_GRACE_DAYS || lastAlertAt >= dayStart(addDays(date, 1))) return undefined;
    const ago = -daysLeft;
    return { ...base, slot: 'overdue', reminder: { kind: 'overdue', date, daysLeft, text: `Reminder: OVERDUE — the apply-by date ${date} passed ${ago} day${ago === 1 ? '' : 's'} ago` } };
  }
  const offset = dueOffset(remindOffsets(target.remindBefore), daysLeft);
  if (offset === undefined) return undefined;
  // The alert came on or after this reminder's first day: it already said the date.
  if (lastAlertAt >= dayStart(addDays(date, -offset))) return undefined;
  const text =
    daysLeft === 0 ? `Reminder: apply by today, ${date}` : `Reminder: apply by ${date} — ${daysLeft} day${daysLeft === 1 ? '' : 's'} left`;
  return { ...base, slot: `${offset}d`, reminder: { kind: daysLeft === 0 ? 'due-today' : 'before', date, daysLeft, text } };
}

/** An open advance notice on its planned release day: "expected today: HIGH fix for Node.js 22.x". */
function plannedDay(notice: Advisory, today: string, lastAlertAt: number): Due | undefined {
  const plan = notice.plannedRelease;
  if (!plan || notice.closedBy) return undefined;
  const date = plan.date.slice(0, 10);
  // Only on the day itself, and not when the notice's alert (say, a postponement) came that same day.
  if (date !== today || lastAlertAt >= dayStart(today)) return undefined;
  const expected = planningLines(notice).map((l) => l.replace(/^expect (?:an? )?(.*?)(?: on \d{4}-\d{2}-\d{2})?$/, '$1'));
  const what = expected.length > 0 ? expected.join('; ') : `${plan.maxSeverity.toUpperCase()} fix: ${notice.title}`;
  return {
    slot: 'planned',
    applyBy: null,
    applyByRule: 'advance notice: planned release day',
    reminder: { kind: 'planned-day', date, daysLeft: 0, text: `Reminder: expected today: ${what}` },
  };
}

/** A collision-free map key of three strings. */
function ackKey(a: string, b: string, c: string): string {
  return JSON.stringify([a, b, c]);
}
