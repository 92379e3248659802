import type { Advisory } from '../model/advisory.js';
import type { Severity } from '../model/severity.js';

// DESIGN.md "Apply-by policies". Each rule proposes a date (or none); the earliest date wins and
// the result names the rule, so the alert can say *why* that date.

export type ApplyByRuleName = 'msrc-classic' | 'kev';

export interface ApplyByPolicy {
  readonly rules: readonly ApplyByRuleName[];
  /** Start the clock at the vendor's release date or when we first saw the advisory. */
  readonly clockStart: 'release' | 'first-seen';
}

export interface ApplyBy {
  /** YYYY-MM-DD, or null when the winning rule sets no date (low: next scheduled roll-up). */
  readonly date: string | null;
  readonly rule: string;
}

export interface ApplyByContext {
  /** The inventory item's team tests patches first (msrc-classic then allows the longer window). */
  readonly testsFirst?: boolean | undefined;
  /** When secwatch first stored the advisory (ISO); used with clockStart 'first-seen'. */
  readonly firstSeen?: string | undefined;
}

type Window = { readonly days?: number; readonly months?: number; readonly label: string };

/** The classic MSRC guidance: untested / tested-first windows per severity; low and none get no date. */
export const MSRC_CLASSIC: Record<Severity, { readonly untested: Window | null; readonly tested: Window | null }> = {
  critical: { untested: { days: 1, label: '24 hours' }, tested: { days: 14, label: '2 weeks' } },
  important: { untested: { months: 1, label: '1 month' }, tested: { months: 2, label: '2 months' } },
  moderate: { untested: { months: 4, label: '4 months' }, tested: { months: 6, label: '6 months' } },
  low: { untested: null, tested: null },
  none: { untested: null, tested: null },
};

function msrcClassic(a: Advisory, start: Date, testsFirst: boolean): ApplyBy {
  const tier = MSRC_CLASSIC[a.severity];
  const window = testsFirst ? tier.tested : tier.untested;
  const tested = testsFirst ? ', tested first' : '';
  if (!window) return { date: null, rule: `msrc-classic ${a.severity}${tested}: next scheduled roll-up, no fixed date` };
  return { date: toDate(addWindow(start, window)), rule: `msrc-classic ${a.severity}${tested}: ${window.label} from release` };
}

function kevDue(a: Advisory): ApplyBy | undefined {
  const due = a.exploited.kev?.dueDate;
  return due ? { date: due, rule: `kev dueDate (CISA KEV, added ${a.exploited.kev?.dateAdded ?? '?'})` } : undefined;
}

/** Apply-by for one advisory on one inventory item (or for the advisory alone when ctx is empty). */
export function computeApplyBy(a: Advisory, policy: ApplyByPolicy, ctx: ApplyByContext = {}): ApplyBy {
  const start = new Date(policy.clockStart === 'first-seen' && ctx.firstSeen ? ctx.firstSeen : a.published);
  const proposals: ApplyBy[] = [];
  for (const rule of policy.rules) {
    switch (rule) {
      case 'msrc-classic':
        proposals.push(msrcClassic(a, start, ctx.testsFirst ?? false));
        break;
      case 'kev': {
        const due = kevDue(a);
        if (due) proposals.push(due);
        break;
      }
    }
  }
  return earliest(proposals) ?? { date: null, rule: 'no apply-by rule gives a date' };
}

/** The earliest dated proposal; undated ones only win when nothing has a date. */
export function earliest(proposals: readonly ApplyBy[]): ApplyBy | undefined {
  const dated = proposals.filter((p) => p.date !== null).sort((x, y) => (x.date! < y.date! ? -1 : x.date! > y.date! ? 1 : 0));
  return dated[0] ?? proposals[0];
}

function addWindow(start: Date, w: Window): Date {
  const d = new Date(start.getTime());
  if (w.days) d.setUTCDate(d.getUTCDate() + w.days);
  if (w.months) {
    // Calendar months, clamped to the month's end (31 Jan + 1 month = 28/29 Feb).
    const day = d.getUTCDate();
    d.setUTCDate(1);
    d.setUTCMonth(d.getUTCMonth() + w.months);
    const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
    d.setUTCDate(Math.min(day, last));
  }
  return d;
}

function toDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}
