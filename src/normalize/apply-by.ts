import type { Advisory, SsvcPoints } from '../model/advisory.js';
import type { Severity } from '../model/severity.js';

// DESIGN.md "Apply-by policies". Each rule proposes a date (or none); the earliest date wins and
// the result names the rule, so the alert can say *why* that date.

export type ApplyByRuleName = 'msrc-classic' | 'kev' | 'bod-26-04';

export interface ApplyByPolicy {
  readonly rules: readonly ApplyByRuleName[];
  /** Start the clock at the vendor's release date or when we first saw the advisory. */
  readonly clockStart: 'release' | 'first-seen';
}

/** The apply-by rule an advance notice reports: nothing to apply before its release. */
export const ADVANCE_NOTICE_RULE = 'advance notice: nothing to apply before the release';

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
  /** The inventory item is internet-facing (bod-26-04 input); undefined reads as not exposed. */
  readonly exposed?: boolean | undefined;
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

/**
 * bod-26-04 as DESIGN.md states it: KEV × exposed × automatable × technical impact → 3 days /
 * 14 days / 60 days / next scheduled upgrade. Our table, first row that holds wins:
 *   KEV-listed and exposed                                      → 3 days
 *   KEV-listed (not exposed)                                    → 14 days
 *   exposed, automatable and total technical impact             → 14 days
 *   exposed and (automatable or total), or automatable and total → 60 days
 *   otherwise                                                   → next scheduled upgrade (no date)
 * Automatable and technical impact come from CISA's SSVC (CSAF notes); an advisory that is not in
 * KEV and carries no SSVC gives the rule nothing to decide on, so it proposes nothing. Each CVE's
 * SSVC vector is judged on its own and the most urgent one counts.
 */
function bod2604(a: Advisory, start: Date, exposed: boolean): ApplyBy | undefined {
  const where = exposed ? 'internet-facing' : 'not internet-facing';
  const due = (days: number, why: string): ApplyBy => ({ date: toDate(addWindow(start, { days, label: '' })), rule: `bod-26-04: ${why}: ${days} days` });
  if (a.exploited.kev) return due(exposed ? 3 : 14, `KEV-listed, ${where}`);
  const vectors = a.exploited.ssvc ?? [];
  if (vectors.length === 0) return undefined;
  const rank = (p: SsvcPoints): number => {
    const total = p.technicalImpact === 'total';
    if (exposed && p.automatable && total) return 14;
    if ((exposed && (p.automatable || total)) || (p.automatable && total)) return 60;
    return Infinity;
  };
  const best = [...vectors].sort((x, y) => rank(x) - rank(y))[0]!;
  const days = rank(best);
  const facts = `${where}, ${best.automatable ? 'automatable' : 'not automatable'}, ${best.technicalImpact} technical impact (SSVC${best.cve ? ` ${best.cve}` : ''})`;
  if (days === Infinity) return { date: null, rule: `bod-26-04: ${facts}: next scheduled upgrade` };
  return due(days, facts);
}

/** Apply-by for one advisory on one inventory item (or for the advisory alone when ctx is empty). */
export function computeApplyBy(a: Advisory, policy: ApplyByPolicy, ctx: ApplyByContext = {}): ApplyBy {
  // An advance notice announces a fix that does not exist yet: the advisories of its release get the dates.
  if (a.kind === 'advance-notice') return { date: null, rule: ADVANCE_NOTICE_RULE };
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
      case 'bod-26-04': {
        const due = bod2604(a, start, ctx.exposed ?? false);
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
