// What changed between two revisions of an advisory, and whether it is worth telling people
// (DESIGN.md "quiet revisions"). One definition, used by the store to decide 'revised' versus
// 'updated' and by every channel to say what changed.
import type { Advisory, AffectedProduct } from './advisory.js';
import type { Match } from './match.js';
import { severityRank, type Severity } from './severity.js';

/**
 * One material change. Wording, links, timestamps, CVSS vectors, a product or KB that went away
 * and a typo in a product's ranges are not here: they never re-alert anyone.
 */
export type MaterialChange =
  | { readonly kind: 'severity-raised' | 'severity-lowered'; readonly from: Severity; readonly to: Severity }
  | { readonly kind: 'kev-added'; readonly dateAdded: string; readonly dueDate: string }
  | { readonly kind: 'exploitation-reported' }
  | { readonly kind: 'cve-added'; readonly cves: readonly string[] }
  | { readonly kind: 'product-added'; readonly products: readonly string[] }
  | { readonly kind: 'match-added'; readonly items: readonly string[] }
  | { readonly kind: 'fix-released'; readonly kbs: readonly string[]; readonly fixedVersions: readonly string[] }
  | { readonly kind: 'planned-date-moved'; readonly from: string | null; readonly to: string | null }
  | { readonly kind: 'kind-changed'; readonly from: Advisory['kind']; readonly to: Advisory['kind'] };

/** Matches before and after, when the caller knows both (an inventory change can add one). */
export interface MatchDiffInput {
  readonly before: readonly Match[];
  readonly after: readonly Match[];
}

/**
 * Pure: the material changes from `prev` to `next`, in a fixed order (most urgent first); empty
 * when nothing material changed. A severity change either way counts, since it moves the
 * apply-by date; a KEV listing, a new CVE, product, matched item or fix, and a moved planned
 * date count when they appear.
 */
export function materialChanges(prev: Advisory, next: Advisory, matches?: MatchDiffInput): MaterialChange[] {
  const out: MaterialChange[] = [];
  const dr = severityRank(next.severity) - severityRank(prev.severity);
  if (dr !== 0) out.push({ kind: dr > 0 ? 'severity-raised' : 'severity-lowered', from: prev.severity, to: next.severity });
  const kev = next.exploited.kev;
  if (kev && !prev.exploited.kev) out.push({ kind: 'kev-added', dateAdded: kev.dateAdded, dueDate: kev.dueDate });
  else if (next.exploited.exploited === true && prev.exploited.exploited !== true && !prev.exploited.kev) out.push({ kind: 'exploitation-reported' });
  if (prev.kind !== next.kind) out.push({ kind: 'kind-changed', from: prev.kind, to: next.kind });
  const cves = added(prev.cves, next.cves, (c) => c.trim().toUpperCase());
  if (cves.length > 0) out.push({ kind: 'cve-added', cves });
  const prevProducts = new Set(prev.products.map(productKey));
  const products = unique(next.products.filter((p) => !prevProducts.has(productKey(p))).map(productLabel));
  if (products.length > 0) out.push({ kind: 'product-added', products });
  if (matches) {
    const before = new Set(matches.before.map(matchKey));
    const items = unique(matches.after.filter((m) => !before.has(matchKey(m))).map((m) => m.item.name));
    if (items.length > 0) out.push({ kind: 'match-added', items });
  }
  const kbs = added(allKbs(prev), allKbs(next), (k) => k.trim().toUpperCase());
  const fixedVersions = added(allFixed(prev), allFixed(next), (v) => v.trim());
  if (kbs.length > 0 || fixedVersions.length > 0) out.push({ kind: 'fix-released', kbs, fixedVersions });
  const from = prev.plannedRelease?.date ?? null;
  const to = next.plannedRelease?.date ?? null;
  if (from !== to && to !== null) out.push({ kind: 'planned-date-moved', from, to });
  return out;
}

/** One line a person reads: "severity raised from moderate to critical". */
export function describeChange(c: MaterialChange): string {
  switch (c.kind) {
    case 'severity-raised':
      return `severity raised from ${c.from} to ${c.to}`;
    case 'severity-lowered':
      return `severity lowered from ${c.from} to ${c.to}`;
    case 'kev-added':
      return `added to CISA KEV on ${c.dateAdded} (due ${c.dueDate})`;
    case 'exploitation-reported':
      return 'exploitation in the wild now reported';
    case 'cve-added':
      return `now also covers ${list(c.cves)}`;
    case 'product-added':
      return `new affected product${c.products.length === 1 ? '' : 's'}: ${list(c.products)}`;
    case 'match-added':
      return `new matched item${c.items.length === 1 ? '' : 's'}: ${list(c.items)}`;
    case 'fix-released':
      return `fix released: ${[c.kbs.length ? list(c.kbs) : null, c.fixedVersions.length ? `fixed in ${list(c.fixedVersions)}` : null].filter(Boolean).join('; ')}`;
    case 'planned-date-moved':
      return c.from === null ? `planned release date set to ${c.to ?? 'none'}` : `planned release date moved from ${c.from} to ${c.to ?? 'none'}`;
    case 'kind-changed':
      return c.to === 'advisory' ? 'the announced release is now published as an advisory' : `now published as ${c.to}`;
    default: {
      const never: never = c;
      return String(never);
    }
  }
}

/** All changes in one sentence fragment, for subjects and one-line summaries. */
export function describeChanges(changes: readonly MaterialChange[]): string {
  return changes.map(describeChange).join('; ');
}

/**
 * Identity of an affected product: its CPE or purl when it has one (so a typo fixed in the name
 * is no new product), else vendor and name, case and spacing ignored.
 */
function productKey(p: AffectedProduct): string {
  if (p.cpe) return `cpe:${p.cpe.toLowerCase()}`;
  if (p.purl) return `purl:${p.purl.toLowerCase()}`;
  return `name:${norm(p.vendor ?? '')}|${norm(p.product)}`;
}

function productLabel(p: AffectedProduct): string {
  return p.vendor && !p.product.toLowerCase().startsWith(p.vendor.toLowerCase()) ? `${p.vendor} ${p.product}` : p.product;
}

function matchKey(m: Match): string {
  return `${m.item.collection}\u0000${m.item.name}`;
}

function allKbs(a: Advisory): string[] {
  return [...(a.remediation.kbs ?? []), ...a.products.flatMap((p) => (p.kb ? [p.kb] : []))];
}

function allFixed(a: Advisory): string[] {
  return [...(a.remediation.fixedVersions ?? []), ...a.products.flatMap((p) => p.fixed ?? [])];
}

/** Values of `next` whose key is not among `prev`'s, first spelling kept, in order. */
function added(prev: readonly string[], next: readonly string[], key: (s: string) => string): string[] {
  const seen = new Set(prev.map(key));
  const out: string[] = [];
  for (const v of next) {
    const k = key(v);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(v);
  }
  return out;
}

function unique(xs: readonly string[]): string[] {
  return [...new Set(xs)];
}

function norm(s: string): string {
  return s.toLowerCase().replace(/\s+/g, ' ').trim();
}

function list(xs: readonly string[]): string {
  const max = 5;
  return xs.length <= max ? xs.join(', ') : `${xs.slice(0, max).join(', ')} and ${xs.length - max} more`;
}
