// The advisories list: filters read from the query string (bad values named, never thrown), the
// store query they become (all of them, search words and published range included), and the rows. Pure.
import type { Advisory } from '../../model/advisory.js';
import { SEVERITIES, isSeverity, type Severity } from '../../model/severity.js';
import { isCalendarDay } from '../../store/search-words.js';
import type { StoredAdvisory } from '../../store/store.js';
import { decodeAdvisoryCursor, type AdvisoryQuery } from '../../store/subscription-store.js';
import { WEB } from '../paths.js';
import { severityLabel, severityOptions, whenText } from './format.js';

export interface AdvisoryFilters {
  readonly severity?: Severity;
  readonly source?: string;
  readonly kind?: Advisory['kind'];
  readonly cve?: string;
  readonly matchedOnly: boolean;
  /** Published on or after / on or before (YYYY-MM-DD). */
  readonly from?: string;
  readonly to?: string;
  /** Words to find (all of them, whole words, any case) in the id, title, CVEs, aliases and products. */
  readonly q?: string;
  readonly cursor?: string;
}

const CVE = /^CVE-\d{4}-\d{4,}$/i;

/** The filters in a query string; a value that makes no sense is dropped and named in `problems`. */
export function parseAdvisoryFilters(query: Readonly<Record<string, unknown>>): { filters: AdvisoryFilters; problems: string[] } {
  const problems: string[] = [];
  const text = (name: string): string | undefined => {
    const v = query[name];
    return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
  };
  const pick = <T>(name: string, ok: (v: string) => boolean, what: string): T | undefined => {
    const v = text(name);
    if (v === undefined) return undefined;
    if (ok(v)) return v as T;
    problems.push(`${name}: "${v}" is not ${what}`);
    return undefined;
  };
  const severity = pick<Severity>('severity', isSeverity, `one of ${SEVERITIES.join(', ')}`);
  const kind = pick<Advisory['kind']>('kind', (v) => v === 'advisory' || v === 'advance-notice', 'advisory or advance-notice');
  const cve = pick<string>('cve', (v) => CVE.test(v), 'a CVE id (CVE-2025-12345)');
  const from = pick<string>('from', isCalendarDay, 'a date (YYYY-MM-DD)');
  const to = pick<string>('to', isCalendarDay, 'a date (YYYY-MM-DD)');
  const source = text('source');
  const q = text('q');
  const cursor = pick<string>('cursor', (v) => decodeAdvisoryCursor(v) !== undefined, 'a page cursor this list gave out');
  return {
    filters: {
      ...(severity ? { severity } : {}),
      ...(source ? { source } : {}),
      ...(kind ? { kind } : {}),
      ...(cve ? { cve: cve.toUpperCase() } : {}),
      matchedOnly: text('matched') === 'yes',
      ...(from ? { from } : {}),
      ...(to ? { to } : {}),
      ...(q ? { q: q.slice(0, 200) } : {}),
      ...(cursor ? { cursor } : {}),
    },
    problems,
  };
}

/** The store query of the filters (a severity floor: that rating and above). */
export function storeQuery(f: AdvisoryFilters, limit: number): AdvisoryQuery {
  return {
    limit,
    ...(f.severity ? { severities: SEVERITIES.slice(0, SEVERITIES.indexOf(f.severity) + 1) } : {}),
    ...(f.source ? { sourceIds: [f.source] } : {}),
    ...(f.kind ? { kinds: [f.kind] } : {}),
    ...(f.cve ? { cve: f.cve } : {}),
    ...(f.matchedOnly ? { matched: true } : {}),
    ...(f.q ? { text: f.q } : {}),
    ...(f.from ? { publishedFrom: f.from } : {}),
    ...(f.to ? { publishedTo: f.to } : {}),
    ...(f.cursor ? { cursor: f.cursor } : {}),
  };
}

export interface AdvisoryRow {
  readonly id: string;
  readonly href: string;
  readonly title: string;
  readonly severity: string;
  readonly severityClass: string;
  readonly source: string;
  readonly kind: string;
  readonly cves: string;
  readonly published: string;
  readonly kev: boolean;
  readonly matched: boolean;
}

export interface AdvisoriesView {
  readonly rows: readonly AdvisoryRow[];
  readonly problems: readonly string[];
  readonly form: {
    readonly severities: ReturnType<typeof severityOptions>;
    readonly sources: readonly { value: string; selected: boolean }[];
    readonly kinds: readonly { value: string; label: string; selected: boolean }[];
    readonly cve: string;
    readonly matchedOnly: boolean;
    readonly from: string;
    readonly to: string;
    readonly q: string;
  };
  /** The same filters, next page of the store's list; empty when this is the last. */
  readonly nextHref: string;
}

export function advisoriesView(input: {
  readonly items: readonly StoredAdvisory[];
  readonly matchedIds: ReadonlySet<string>;
  readonly filters: AdvisoryFilters;
  readonly problems: readonly string[];
  readonly sourceIds: readonly string[];
  readonly nextCursor?: string;
}): AdvisoriesView {
  const f = input.filters;
  return {
    rows: input.items
      .map((s) => s.advisory)
      .map((a) => ({
        id: a.id,
        href: WEB.advisory(a.id),
        title: a.title,
        severity: severityLabel(a.severity),
        severityClass: `sev-${a.severity}`,
        source: a.source.id ?? a.source.kind,
        kind: a.kind === 'advance-notice' ? 'advance notice' : 'advisory',
        cves: a.cves.join(', '),
        published: whenText(a.published),
        kev: a.exploited.kev !== undefined,
        matched: input.matchedIds.has(a.id),
      })),
    problems: input.problems,
    form: {
      severities: severityOptions(f.severity),
      sources: input.sourceIds.map((id) => ({ value: id, selected: id === f.source })),
      kinds: [
        { value: 'advisory', label: 'Advisory', selected: f.kind === 'advisory' },
        { value: 'advance-notice', label: 'Advance notice', selected: f.kind === 'advance-notice' },
      ],
      cve: f.cve ?? '',
      matchedOnly: f.matchedOnly,
      from: f.from ?? '',
      to: f.to ?? '',
      q: f.q ?? '',
    },
    nextHref: input.nextCursor ? `${WEB.advisories}?${filterQuery({ ...f, cursor: input.nextCursor })}` : '',
  };
}

/** The filters back as a query string (for the next-page link). */
export function filterQuery(f: AdvisoryFilters): string {
  const p = new URLSearchParams();
  if (f.severity) p.set('severity', f.severity);
  if (f.source) p.set('source', f.source);
  if (f.kind) p.set('kind', f.kind);
  if (f.cve) p.set('cve', f.cve);
  if (f.matchedOnly) p.set('matched', 'yes');
  if (f.from) p.set('from', f.from);
  if (f.to) p.set('to', f.to);
  if (f.q) p.set('q', f.q);
  if (f.cursor) p.set('cursor', f.cursor);
  return p.toString();
}
