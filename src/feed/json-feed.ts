// JSON Feed 1.1 — https://www.jsonfeed.org/version/1.1/
import type { Advisory } from '../model/advisory.js';
import type { Match } from '../model/match.js';
import type { StoredAdvisory } from '../store/store.js';
import type { Provenance } from '../merge/logical-item.js';
import { provenanceJson, type AlsoReportedBy } from './provenance.js';
import { computeApplyBy, earliest, type ApplyBy, type ApplyByPolicy } from '../normalize/apply-by.js';

export const JSON_FEED_CONTENT_TYPE = 'application/feed+json';

export interface FeedMeta {
  readonly title: string;
  readonly homePageUrl?: string | undefined;
  readonly feedUrl?: string | undefined;
  readonly description?: string;
}

export interface FeedEntry {
  readonly stored: StoredAdvisory;
  readonly matches: readonly Match[];
  /** Other sources' advisories naming the same CVEs (src/feed/provenance.ts). */
  readonly alsoReportedBy?: readonly Provenance[];
}

/** The `_secwatch` extension: what a consuming tool needs without parsing our prose. */
export interface SecwatchExtension {
  readonly about: string;
  readonly severity: Advisory['severity'];
  readonly severity_source: Advisory['severitySource'];
  readonly apply_by: string | null;
  readonly apply_by_rule: string;
  readonly cves: readonly string[];
  readonly exploited: Advisory['exploited'];
  readonly matched: readonly string[];
  /** Per matched inventory item: where it is, why it matched and by when to apply the fix. */
  readonly matches: readonly FeedMatch[];
  readonly signature: Advisory['signature'];
  readonly revision: number;
  readonly source: Advisory['source'];
  readonly kind: Advisory['kind'];
  /** Advance notices: the announced release day and its highest severity, and once published the advisories that closed it. */
  readonly planned_release?: NonNullable<Advisory['plannedRelease']>;
  readonly closed_by?: readonly string[];
  /** The other sources that reported the same CVEs; absent when none did. */
  readonly also_reported_by?: readonly AlsoReportedBy[];
}

export interface FeedMatch {
  readonly item: string;
  readonly collection: string;
  readonly location: string | null;
  readonly instances: number;
  readonly version: string | null;
  readonly exposed: boolean;
  readonly confidence: Match['confidence'];
  readonly reason: string;
  readonly apply_by: string | null;
  readonly apply_by_rule: string;
}

const feedMatch = (m: Match): FeedMatch => ({
  item: m.item.name,
  collection: m.item.collection,
  location: m.item.location ?? null,
  instances: m.item.instances,
  version: m.item.version ?? null,
  exposed: m.item.exposed === true,
  confidence: m.confidence,
  reason: m.reason,
  apply_by: m.applyBy,
  apply_by_rule: m.applyByRule,
});

/** One line per match for the feed's text: which item, where, how many, why, by when. */
const matchLine = (m: Match): string =>
  `- ${m.item.name} [${m.item.collection}]${m.item.location ? ` at ${m.item.location}` : ''}, ${m.item.instances} instance(s): ${m.confidence} confidence, ${m.reason}; apply by ${m.applyBy ?? 'no fixed date'} (${m.applyByRule})`;

export interface JsonFeedItem {
  readonly id: string;
  readonly url?: string;
  readonly title: string;
  readonly content_text: string;
  readonly summary?: string;
  readonly date_published: string;
  readonly date_modified: string;
  readonly tags: readonly string[];
  readonly _secwatch: SecwatchExtension;
}

export interface JsonFeed {
  readonly version: 'https://jsonfeed.org/version/1.1';
  readonly title: string;
  readonly home_page_url?: string;
  readonly feed_url?: string;
  readonly description?: string;
  readonly items: readonly JsonFeedItem[];
}

/** The apply-by that describes an item in a feed: the earliest of its matches, else the advisory's own. */
export function itemApplyBy(advisory: Advisory, matches: readonly Match[], policy: ApplyByPolicy, firstSeen?: string): ApplyBy {
  const fromMatches = earliest(matches.map((m) => ({ date: m.applyBy, rule: m.applyByRule })));
  return fromMatches ?? computeApplyBy(advisory, policy, { firstSeen });
}

/**
 * Entries → JSON Feed 1.1, pure. Item ids are advisory ids, so they stay stable across revisions;
 * `date_modified` moves when we store a change.
 */
export function buildJsonFeed(entries: readonly FeedEntry[], meta: FeedMeta, policy: ApplyByPolicy): JsonFeed {
  return {
    version: 'https://jsonfeed.org/version/1.1',
    title: meta.title,
    ...(meta.homePageUrl ? { home_page_url: meta.homePageUrl } : {}),
    ...(meta.feedUrl ? { feed_url: meta.feedUrl } : {}),
    description: meta.description ?? 'Security advisories rated and matched against our inventory by secwatch',
    items: entries.map((e) => toItem(e, policy)),
  };
}

function toItem({ stored, matches, alsoReportedBy }: FeedEntry, policy: ApplyByPolicy): JsonFeedItem {
  const a = stored.advisory;
  const applyBy = itemApplyBy(a, matches, policy, stored.firstSeen);
  const matched = [...new Set(matches.map((m) => m.item.name))];
  const lines = [
    `Severity: ${a.severity} (${a.severitySource})`,
    `Apply by: ${applyBy.date ?? 'no fixed date'} — ${applyBy.rule}`,
    a.cves.length ? `CVEs: ${a.cves.join(', ')}` : undefined,
    a.exploited.kev ? `Known exploited (CISA KEV since ${a.exploited.kev.dateAdded}, due ${a.exploited.kev.dueDate})` : undefined,
    matched.length ? `Matches our: ${matched.join(', ')}\n${matches.map(matchLine).join('\n')}` : undefined,
    a.remediation.action ? `Action: ${a.remediation.action}` : undefined,
    a.summary,
  ].filter((l): l is string => Boolean(l));
  return {
    id: a.id,
    ...(a.url ? { url: a.url } : {}),
    title: `[${a.severity.toUpperCase()}] ${a.title}`,
    content_text: lines.join('\n'),
    ...(a.summary ? { summary: a.summary.slice(0, 500) } : {}),
    date_published: a.published,
    date_modified: a.revision > 1 ? stored.updatedAt : a.modified,
    tags: [a.severity, ...a.cves, ...(a.exploited.kev ? ['kev'] : [])],
    _secwatch: {
      about: 'https://github.com/secwatch/secwatch#json-feed',
      severity: a.severity,
      severity_source: a.severitySource,
      apply_by: applyBy.date,
      apply_by_rule: applyBy.rule,
      cves: a.cves,
      exploited: a.exploited,
      matched,
      matches: matches.map(feedMatch),
      signature: a.signature,
      revision: a.revision,
      source: a.source,
      kind: a.kind,
      ...(a.plannedRelease ? { planned_release: a.plannedRelease } : {}),
      ...(a.closedBy ? { closed_by: a.closedBy } : {}),
      ...(alsoReportedBy?.length ? { also_reported_by: alsoReportedBy.map(provenanceJson) } : {}),
    },
  };
}
