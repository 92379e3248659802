import type { AffectedProduct } from '../model/advisory.js';
import type { Confidence } from '../model/match.js';
import { checkVersion } from './affected-versions.js';
import { canonicalName, productKey, tokenPrefixes } from './names.js';
import type { IndexedItem } from './inventory-index.js';
import type { Matcher, MatchHit } from './matcher.js';
import { isFalsePrefixMatch } from './qualifiers.js';

// Vendor/product names, case- and punctuation-insensitive, through operator aliases, with edition
// qualifiers split off (qualifiers.ts). When the advisory states versions (CSAF ranges, CVRF fixed
// builds) they are compared with the item's version; otherwise the reason says none were compared.

export const productNameMatcher: Matcher = {
  name: 'product-name',
  match(advisory, index) {
    const hits: MatchHit[] = [];
    for (const affected of advisory.products) {
      const vendor = affected.vendor ? canonicalName(affected.vendor, index.aliases) : undefined;
      const { key: product, qualifiers } = productKey(affected.product, vendor, index.aliases);
      if (!product) continue;
      const named: Named = { affected, vendor, product, qualifiers };
      // Exact and broader-advisory matches: items filed under the advisory's product as a prefix.
      for (const entry of index.byProductPrefix(product)) {
        const kind: Kind = entry.product === product ? 'exact' : 'broader';
        if (kind === 'broader' && isFalsePrefixMatch(product, entry.product, true)) continue;
        const hit = judge(named, entry, kind);
        if (hit) hits.push(hit);
      }
      // Narrower-advisory matches: the advisory names a specific edition of a product we list generically.
      for (const prefix of tokenPrefixes(product).slice(0, -1)) {
        if (isFalsePrefixMatch(prefix, product, false)) continue;
        for (const entry of index.byProduct(prefix)) {
          const hit = judge(named, entry, 'narrower');
          if (hit) hits.push(hit);
        }
      }
    }
    return hits;
  },
};

type Kind = 'exact' | 'broader' | 'narrower';

interface Named {
  readonly affected: AffectedProduct;
  readonly vendor: string | undefined;
  readonly product: string;
  readonly qualifiers: readonly string[];
}

const LOWER: Record<Confidence, Confidence> = { high: 'medium', medium: 'low', low: 'low' };

function judge(n: Named, entry: IndexedItem, kind: Kind): MatchHit | undefined {
  const vendorKnown = n.vendor !== undefined && entry.vendor !== undefined;
  if (vendorKnown && n.vendor !== entry.vendor) return undefined;
  // A partial name match without a vendor to confirm it is too weak to alert on ("server", "client").
  if (kind !== 'exact' && !vendorKnown) return undefined;
  const base: Confidence = kind === 'exact' ? (vendorKnown ? 'high' : 'medium') : kind === 'broader' ? 'medium' : 'low';
  const a = n.affected;
  const named = `${a.vendor ? `${a.vendor} ` : ''}${a.product}`;
  const listed = `${entry.item.vendor ? `${entry.item.vendor} ` : ''}${entry.item.product ?? entry.item.name}`;
  const ignored = [...n.qualifiers, ...entry.qualifiers];
  const how =
    (kind === 'exact'
      ? `advisory names ${named}, inventory lists ${listed}${vendorKnown ? '' : ' (vendor not confirmed)'}`
      : kind === 'broader'
        ? `advisory names ${named}, which covers inventory's ${listed}`
        : `advisory names ${named}, a specific edition of inventory's ${listed}`) +
    (ignored.length > 0 ? ` (qualifiers not compared: ${ignored.join('; ')})` : '');
  const hit = (reason: string, confidence: Confidence): MatchHit => ({ item: entry.item, matcher: 'product-name', reason, confidence });
  const statesVersions = (a.ranges?.length ?? 0) > 0 || (a.fixed?.length ?? 0) > 0;
  const version = entry.item.version;
  if (!statesVersions) {
    const note = version ? `; version ${version} not compared (advisory gives no versions)` : '; inventory gives no version';
    return hit(`${how}${note}`, base);
  }
  if (version === undefined) return hit(`${how}; the advisory states versions but the inventory gives none (version unknown)`, LOWER[base]);
  const check = checkVersion(version, a);
  if (!check) return hit(how, base);
  if (check.status === 'not-affected') return { ...hit(`${how}; ${check.detail}`, base), notAffected: true };
  if (check.status === 'unknown') return hit(`${how}; ${check.detail}`, LOWER[base]);
  return hit(`${how}; ${check.detail}${check.exact ? '' : ' (generic version ordering)'}`, check.exact ? base : LOWER[base]);
}
