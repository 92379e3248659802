import type { Advisory } from '../model/advisory.js';
import type { Match } from '../model/match.js';
import { computeApplyBy, type ApplyByPolicy } from '../normalize/apply-by.js';
import type { InventoryIndex } from './inventory-index.js';
import { CONFIDENCE_RANK, type Matcher, type MatchHit } from './matcher.js';
import { cpeMatcher } from './cpe.js';
import { keywordMatcher } from './keyword.js';
import { productNameMatcher } from './product-name.js';
import { purlMatcher } from './purl.js';

/** Matchers strongest first: package ranges, then CPE names, then vendor/product names, then operator keywords. */
export const DEFAULT_MATCHERS: readonly Matcher[] = [purlMatcher, cpeMatcher, productNameMatcher, keywordMatcher];

const itemKey = (h: MatchHit): string => `${h.item.collection}\u0000${h.item.name}`;

/**
 * Which inventory items an advisory concerns, one Match per item (the strongest hit wins), each
 * with its own apply-by date: the item's testsFirst setting changes the msrc-classic window.
 * Pure.
 */
export function matchAdvisory(
  advisory: Advisory,
  index: InventoryIndex,
  policy: ApplyByPolicy,
  options: { readonly firstSeen?: string; readonly matchers?: readonly Matcher[] } = {},
): Match[] {
  const best = new Map<string, MatchHit>();
  const cleared = new Set<string>();
  for (const matcher of options.matchers ?? DEFAULT_MATCHERS) {
    const hits = matcher.match(advisory, index);
    const hitHere = new Set(hits.filter((h) => !h.notAffected).map(itemKey));
    for (const hit of hits) if (hit.notAffected && !hitHere.has(itemKey(hit)) && !best.has(itemKey(hit))) cleared.add(itemKey(hit));
    for (const hit of hits) {
      const key = itemKey(hit);
      if (hit.notAffected || cleared.has(key)) continue;
      const prev = best.get(key);
      if (!prev || CONFIDENCE_RANK[hit.confidence] > CONFIDENCE_RANK[prev.confidence]) best.set(key, hit);
    }
  }
  return [...best.values()]
    .sort((a, b) => CONFIDENCE_RANK[b.confidence] - CONFIDENCE_RANK[a.confidence] || a.item.name.localeCompare(b.item.name))
    .map((hit) => {
      const applyBy = computeApplyBy(advisory, policy, {
        testsFirst: hit.item.testsFirst,
        exposed: hit.item.exposed,
        firstSeen: options.firstSeen,
      });
      return {
        advisoryId: advisory.id,
        item: hit.item,
        reason: `${hit.matcher}: ${hit.reason}`,
        confidence: hit.confidence,
        applyBy: applyBy.date,
        applyByRule: applyBy.rule,
      };
    });
}
