import type { AffectedProduct } from '../model/advisory.js';
import type { Confidence } from '../model/match.js';
import { canonicalName, tokenPrefixes } from './names.js';
import type { IndexedItem } from './inventory-index.js';
import type { Matcher, MatchHit } from './matcher.js';

// Vendor/product names, case- and punctuation-insensitive, through operator aliases. Versions are
// not compared here (the advisories this matcher serves carry none); the reason says so.

export const productNameMatcher: Matcher = {
  name: 'product-name',
  match(advisory, index) {
    const hits: MatchHit[] = [];
    for (const affected of advisory.products) {
      const product = canonicalName(affected.product, index.aliases);
      if (!product) continue;
      const vendor = affected.vendor ? canonicalName(affected.vendor, index.aliases) : undefined;
      // Exact and broader-advisory matches: items filed under the advisory's product as a prefix.
      for (const entry of index.byProductPrefix(product)) {
        const hit = judge(affected, vendor, entry, entry.product === product ? 'exact' : 'broader');
        if (hit) hits.push(hit);
      }
      // Narrower-advisory matches: the advisory names a specific edition of a product we list generically.
      for (const prefix of tokenPrefixes(product).slice(0, -1)) {
        for (const entry of index.byProductPrefix(prefix)) {
          if (entry.product !== prefix) continue;
          const hit = judge(affected, vendor, entry, 'narrower');
          if (hit) hits.push(hit);
        }
      }
    }
    return hits;
  },
};

type Kind = 'exact' | 'broader' | 'narrower';

function judge(affected: AffectedProduct, vendor: string | undefined, entry: IndexedItem, kind: Kind): MatchHit | undefined {
  const vendorKnown = vendor !== undefined && entry.vendor !== undefined;
  if (vendorKnown && vendor !== entry.vendor) return undefined;
  // A partial name match without a vendor to confirm it is too weak to alert on ("server", "client").
  if (kind !== 'exact' && !vendorKnown) return undefined;
  const confidence: Confidence = kind === 'exact' ? (vendorKnown ? 'high' : 'medium') : kind === 'broader' ? 'medium' : 'low';
  const named = `${affected.vendor ? `${affected.vendor} ` : ''}${affected.product}`;
  const listed = `${entry.item.vendor ? `${entry.item.vendor} ` : ''}${entry.item.product ?? entry.item.name}`;
  const how =
    kind === 'exact'
      ? `advisory names ${named}, inventory lists ${listed}${vendorKnown ? '' : ' (vendor not confirmed)'}`
      : kind === 'broader'
        ? `advisory names ${named}, which covers inventory's ${listed}`
        : `advisory names ${named}, a specific edition of inventory's ${listed}`;
  const version = entry.item.version ? `; version ${entry.item.version} not compared (advisory gives no versions)` : '; inventory gives no version';
  return { item: entry.item, matcher: 'product-name', reason: `${how}${version}`, confidence };
}
