// DESIGN.md "cves, aliases: used to merge the same issue seen from several sources". Each source's
// advisory stays stored as it came; a logical item is a view over the advisories that name the same
// CVE, computed when someone looks (feed, API) — never stored, so no source's data is overwritten.
import type { AffectedProduct, Advisory, Exploitation, KevListing, SignatureInfo, SourceKind } from '../model/advisory.js';
import { severityRank, type Severity, type SeveritySource } from '../model/severity.js';

/** What one source said about the item: enough to tell the sources apart and to go read each. */
export interface Provenance {
  readonly advisoryId: string;
  readonly source: { readonly kind: SourceKind; readonly id?: string };
  readonly title: string;
  readonly url?: string;
  readonly severity: Severity;
  readonly severitySource: SeveritySource;
  readonly signature: SignatureInfo;
  readonly revision: number;
  readonly published: string;
  readonly modified: string;
  readonly cves: readonly string[];
}

/** One issue as every source reporting it sees it together. */
export interface LogicalItem {
  /** The lowest CVE id of the group, or the advisory id of an advisory that names no CVE. */
  readonly key: string;
  /** Every CVE any of the advisories names, upper case, sorted. */
  readonly cves: readonly string[];
  /** The highest severity any source gives, and whose rating that is. */
  readonly severity: Severity;
  readonly severitySource: SeveritySource;
  readonly severityFrom: string;
  /** Exploited or publicly disclosed if any source says so; the KEV listing with the earliest due date. */
  readonly exploited: Exploitation;
  /** Every affected product, once per (vendor, product, cpe, purl). */
  readonly products: readonly AffectedProduct[];
  /** Union of the KBs and fixed versions the sources name. */
  readonly kbs: readonly string[];
  readonly fixedVersions: readonly string[];
  /** Earliest publication and latest modification over the sources. */
  readonly published: string;
  readonly modified: string;
  /** One entry per advisory, earliest published first (then by id). */
  readonly provenance: readonly Provenance[];
}

/** The index key of a CVE id (as the store's CVE index keeps it). */
const cveKey = (cve: string): string => cve.trim().toUpperCase();

/**
 * Group advisories into logical items: two advisories are one item when they share a CVE, also
 * through a third (A and B share one CVE, B and C another: one item). An advisory that names no
 * CVE is an item of its own. Pure; items come out by key.
 */
export function mergeAdvisories(advisories: readonly Advisory[]): LogicalItem[] {
  const unique = [...new Map(advisories.map((a) => [a.id, a])).values()];
  // Union-find over advisory indexes, joined through the first advisory seen with each CVE.
  const parent = unique.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };
  const firstWith = new Map<string, number>();
  unique.forEach((a, i) => {
    for (const cve of a.cves.map(cveKey)) {
      const j = firstWith.get(cve);
      if (j === undefined) firstWith.set(cve, i);
      else parent[find(i)] = find(j);
    }
  });
  const groups = new Map<number, Advisory[]>();
  unique.forEach((a, i) => groups.set(find(i), [...(groups.get(find(i)) ?? []), a]));
  return [...groups.values()].map(mergeGroup).sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
}

/** The logical item an advisory belongs to, given the advisories sharing a CVE with it (itself included or not). */
export function logicalItemOf(advisory: Advisory, siblings: readonly Advisory[]): LogicalItem {
  const items = mergeAdvisories([advisory, ...siblings.filter((s) => s.id !== advisory.id)]);
  return items.find((item) => item.provenance.some((p) => p.advisoryId === advisory.id)) ?? mergeGroup([advisory]);
}

/** The other advisories naming at least one of `advisory`'s CVEs: "also reported by". */
export function alsoReportedBy(advisory: Advisory, candidates: readonly Advisory[]): Provenance[] {
  const mine = new Set(advisory.cves.map(cveKey));
  return candidates
    .filter((c) => c.id !== advisory.id && c.cves.some((cve) => mine.has(cveKey(cve))))
    .map(provenanceOf)
    .sort(byPublishedThenId);
}

/** One group of advisories already known to belong together → its merged view. */
export function mergeGroup(group: readonly Advisory[]): LogicalItem {
  if (group.length === 0) throw new Error('mergeGroup: an empty group has no item');
  const provenance = group.map(provenanceOf).sort(byPublishedThenId);
  const cves = [...new Set(group.flatMap((a) => a.cves.map(cveKey)))].sort();
  // Highest severity; on a tie the vendor's own word beats a score, a score beats a KEV floor or policy.
  const worst = [...group].sort(
    (a, b) => severityRank(b.severity) - severityRank(a.severity) || SOURCE_TRUST[b.severitySource] - SOURCE_TRUST[a.severitySource] || cmp(a.id, b.id),
  )[0]!;
  return {
    key: cves[0] ?? group[0]!.id,
    cves,
    severity: worst.severity,
    severitySource: worst.severitySource,
    severityFrom: worst.id,
    exploited: mergeExploited(group.map((a) => a.exploited)),
    products: uniqueProducts(group.flatMap((a) => a.products)),
    kbs: [...new Set(group.flatMap((a) => a.remediation.kbs ?? []))].sort(),
    fixedVersions: [...new Set(group.flatMap((a) => a.remediation.fixedVersions ?? []))].sort(),
    published: group.map((a) => a.published).reduce((x, y) => (y < x ? y : x)),
    modified: group.map((a) => a.modified).reduce((x, y) => (y > x ? y : x)),
    provenance,
  };
}

const SOURCE_TRUST: Record<SeveritySource, number> = { vendor: 3, cvss: 2, kev: 1, policy: 0 };

function provenanceOf(a: Advisory): Provenance {
  return {
    advisoryId: a.id,
    source: a.source,
    title: a.title,
    ...(a.url === undefined ? {} : { url: a.url }),
    severity: a.severity,
    severitySource: a.severitySource,
    signature: a.signature,
    revision: a.revision,
    published: a.published,
    modified: a.modified,
    cves: a.cves,
  };
}

function mergeExploited(all: readonly Exploitation[]): Exploitation {
  const kev = all
    .map((e) => e.kev)
    .filter((k): k is KevListing => k !== undefined)
    .sort((a, b) => cmp(a.dueDate, b.dueDate))[0];
  const exploited = all.some((e) => e.exploited === true) || kev !== undefined;
  const disclosed = all.some((e) => e.publiclyDisclosed === true);
  const saidExploited = all.some((e) => e.exploited !== undefined) || kev !== undefined;
  const saidDisclosed = all.some((e) => e.publiclyDisclosed !== undefined);
  return {
    ...(kev === undefined ? {} : { kev }),
    ...(saidDisclosed ? { publiclyDisclosed: disclosed } : {}),
    ...(saidExploited ? { exploited } : {}),
  };
}

function uniqueProducts(products: readonly AffectedProduct[]): AffectedProduct[] {
  const seen = new Map<string, AffectedProduct>();
  for (const p of products) {
    const key = [p.vendor ?? '', p.product, p.cpe ?? '', p.purl ?? ''].map((s) => s.toLowerCase()).join('\u0000');
    if (!seen.has(key)) seen.set(key, p);
  }
  return [...seen.values()];
}

function byPublishedThenId(a: Provenance, b: Provenance): number {
  return cmp(a.published, b.published) || cmp(a.advisoryId, b.advisoryId);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
