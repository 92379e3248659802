// The home page: every unacknowledged match with an apply-by date, most urgent first, grouped
// into overdue / due this week / later (and those the policy gives no date). Pure.
import type { Advisory } from '../../model/advisory.js';
import type { Match } from '../../model/match.js';
import { severityRank } from '../../model/severity.js';
import type { Acknowledgement } from '../../model/subscription.js';
import { WEB } from '../paths.js';
import { daysBetween, severityLabel, whenText } from './format.js';

export interface DeadlinesInput {
  readonly matches: readonly Match[];
  /** The advisories the matches belong to, by id (a match without its advisory is skipped). */
  readonly advisories: ReadonlyMap<string, Advisory>;
  readonly acknowledgements: readonly Acknowledgement[];
  /** Today, YYYY-MM-DD (UTC). */
  readonly today: string;
}

export interface DeadlineRow {
  readonly advisoryId: string;
  readonly href: string;
  readonly title: string;
  readonly severity: string;
  readonly severityClass: string;
  readonly kev: boolean;
  readonly product: string;
  readonly itemName: string;
  readonly instances: number;
  readonly location: string;
  readonly collection: string;
  readonly applyBy: string;
  readonly dueText: string;
  readonly rule: string;
  /** A stable id for the row's form fields (labels need unique ids). */
  readonly formId: string;
}

export interface DeadlineGroup {
  readonly id: 'overdue' | 'this-week' | 'later' | 'no-date';
  readonly title: string;
  readonly rows: readonly DeadlineRow[];
}

export interface AcknowledgedRow {
  readonly advisoryId: string;
  readonly href: string;
  readonly itemName: string;
  readonly collection: string;
  readonly status: string;
  readonly note: string;
  readonly when: string;
}

export interface DeadlinesView {
  readonly groups: readonly DeadlineGroup[];
  readonly open: number;
  readonly acknowledged: readonly AcknowledgedRow[];
}

const ackKey = (advisoryId: string, collection: string, name: string) => `${advisoryId}\u0000${collection}\u0000${name}`;

export function deadlinesView(input: DeadlinesInput): DeadlinesView {
  const acked = new Set(input.acknowledgements.map((a) => ackKey(a.advisoryId, a.itemCollection, a.itemName)));
  const open = input.matches
    .filter((m) => !acked.has(ackKey(m.advisoryId, m.item.collection, m.item.name)))
    .flatMap((m) => {
      const a = input.advisories.get(m.advisoryId);
      return a ? [{ m, a }] : [];
    })
    .sort(
      (x, y) =>
        compareDates(x.m.applyBy, y.m.applyBy) ||
        severityRank(y.a.severity) - severityRank(x.a.severity) ||
        cmp(x.a.id, y.a.id) ||
        cmp(x.m.item.collection, y.m.item.collection) ||
        cmp(x.m.item.name, y.m.item.name),
    );
  const rows = open.map(({ m, a }, i) => ({ group: groupOf(m.applyBy, input.today), row: row(m, a, input.today, i) }));
  const group = (id: DeadlineGroup['id'], title: string): DeadlineGroup => ({ id, title, rows: rows.filter((r) => r.group === id).map((r) => r.row) });
  return {
    groups: [group('overdue', 'Overdue'), group('this-week', 'Due this week'), group('later', 'Later'), group('no-date', 'No apply-by date')],
    open: rows.length,
    acknowledged: [...input.acknowledgements]
      .sort((x, y) => cmp(y.acknowledgedAt, x.acknowledgedAt))
      .slice(0, 20)
      .map((k) => ({
        advisoryId: k.advisoryId,
        href: WEB.advisory(k.advisoryId),
        itemName: k.itemName,
        collection: k.itemCollection,
        status: k.status === 'applied' ? 'Applied' : 'Not applicable',
        note: k.note ?? '',
        when: whenText(k.acknowledgedAt),
      })),
  };
}

/** Overdue: before today; this week: today to six days ahead; later: beyond; no-date: the policy set none. */
export function groupOf(applyBy: string | null, today: string): DeadlineGroup['id'] {
  if (applyBy === null) return 'no-date';
  const days = daysBetween(today, applyBy);
  return days < 0 ? 'overdue' : days <= 6 ? 'this-week' : 'later';
}

export function dueText(applyBy: string | null, today: string): string {
  if (applyBy === null) return 'no date set by the policy';
  const days = daysBetween(today, applyBy);
  if (days === 0) return 'due today';
  if (days < 0) return `${-days} day${days === -1 ? '' : 's'} overdue`;
  return `due in ${days} day${days === 1 ? '' : 's'}`;
}

function row(m: Match, a: Advisory, today: string, i: number): DeadlineRow {
  return {
    advisoryId: a.id,
    href: WEB.advisory(a.id),
    title: a.title,
    severity: severityLabel(a.severity),
    severityClass: `sev-${a.severity}`,
    kev: a.exploited.kev !== undefined,
    product: productOf(m, a),
    itemName: m.item.name,
    instances: m.item.instances,
    location: m.item.location ?? '',
    collection: m.item.collection,
    applyBy: m.applyBy ?? '',
    dueText: dueText(m.applyBy, today),
    rule: m.applyByRule,
    formId: `ack-${i}`,
  };
}

/** The product as the inventory names it (vendor, product, version), else the advisory's first product. */
function productOf(m: Match, a: Advisory): string {
  if (m.item.product) return [vendorAndProduct(m.item.vendor, m.item.product), m.item.version].filter(Boolean).join(' ');
  const p = a.products[0];
  return p ? vendorAndProduct(p.vendor, p.product) : '';
}

/** "Citrix Session Recording", but "Git" rather than "Git Git". */
export function vendorAndProduct(vendor: string | undefined, product: string): string {
  return vendor && !product.toLowerCase().startsWith(vendor.toLowerCase()) ? `${vendor} ${product}` : product;
}

/** Dated before undated; earlier first. */
function compareDates(x: string | null, y: string | null): number {
  if (x === y) return 0;
  if (x === null) return 1;
  if (y === null) return -1;
  return cmp(x, y);
}

function cmp(x: string, y: string): number {
  return x < y ? -1 : x > y ? 1 : 0;
}
