import { alsoReportedBy, type Provenance } from '../merge/logical-item.js';
import type { Store } from '../store/store.js';
import type { FeedEntry } from './json-feed.js';

/**
 * Feed entries with the other sources that reported the same CVEs (one store query for the whole
 * page): each source's advisory stays its own item, and says who else reported it.
 */
export async function withProvenance(store: Store, entries: readonly FeedEntry[]): Promise<FeedEntry[]> {
  const cves = [...new Set(entries.flatMap((e) => e.stored.advisory.cves))];
  if (cves.length === 0) return [...entries];
  const siblings = (await store.listAdvisoriesByCves(cves)).map((s) => s.advisory);
  return entries.map((e) => {
    const others: Provenance[] = alsoReportedBy(e.stored.advisory, siblings);
    return others.length === 0 ? e : { ...e, alsoReportedBy: others };
  });
}

/** The `_secwatch.also_reported_by` entries: snake_case, as the rest of the extension. */
export function provenanceJson(p: Provenance): AlsoReportedBy {
  return {
    advisory_id: p.advisoryId,
    source: p.source,
    ...(p.url === undefined ? {} : { url: p.url }),
    severity: p.severity,
    severity_source: p.severitySource,
    signature: p.signature,
    published: p.published,
    cves: p.cves,
  };
}

export interface AlsoReportedBy {
  readonly advisory_id: string;
  readonly source: Provenance['source'];
  readonly url?: string;
  readonly severity: Provenance['severity'];
  readonly severity_source: Provenance['severitySource'];
  readonly signature: Provenance['signature'];
  readonly published: string;
  readonly cves: readonly string[];
}
