import type { AffectedProduct } from '../model/advisory.js';
import type { InventoryItem } from '../model/inventory.js';
import type { Confidence } from '../model/match.js';
import { checkVersion } from './affected-versions.js';
import { parseCpe, cpeKey, type CpeName } from './cpe-name.js';
import type { Matcher, MatchHit } from './matcher.js';

// CPE 2.3 name matching (NISTIR 7696): vendor and product must be equal; version `*` (ANY) or `-`
// (NA) in the advisory covers every version, else the versions must be equal. When the product
// also states versions (CSAF product_version_range, CVRF fixed builds), those decide instead:
// MSRC puts the *fixed* build in the CPE's version field, so a CPE version that is one of the
// product's fixed builds is read as "fixed in", never as "affected".

const isWild = (v: string): boolean => v === '*' || v === '-' || v === '';

/** Second strongest: CPEs name vendor and product unambiguously; versions from the product's ranges. */
export const cpeMatcher: Matcher = {
  name: 'cpe',
  match(advisory, index) {
    const hits: MatchHit[] = [];
    for (const affected of advisory.products) {
      const cpe = affected.cpe ? parseCpe(affected.cpe) : undefined;
      if (!cpe) continue;
      for (const item of index.byCpe(cpeKey(cpe))) {
        const hit = judge(cpe, affected, item);
        if (hit) hits.push(hit);
      }
    }
    return hits;
  },
};

function judge(adv: CpeName, affected: AffectedProduct, item: InventoryItem): MatchHit | undefined {
  const own = item.cpe ? parseCpe(item.cpe) : undefined;
  if (!own) return undefined;
  if (!isWild(adv.part) && !isWild(own.part) && adv.part !== own.part) return undefined;
  const version = !isWild(own.version) ? own.version : item.version?.toLowerCase();
  const what = `${adv.vendor}:${adv.product}`;
  const hit = (reason: string, confidence: Confidence): MatchHit => ({ item, matcher: 'cpe', reason, confidence });
  const fixed = affected.fixed ?? [];
  const cpeIsFix = !isWild(adv.version) && fixed.some((f) => f.toLowerCase() === adv.version);
  const stated = { ranges: affected.ranges, fixed };
  if ((affected.ranges?.length ?? 0) > 0 || fixed.length > 0) {
    if (version === undefined) return hit(`CPE ${what}; the advisory states affected/fixed versions but the inventory gives no version`, 'low');
    const check = checkVersion(version, stated);
    if (check?.status === 'affected') return hit(`CPE ${what}: ${check.detail}`, check.exact ? 'high' : 'medium');
    if (check?.status === 'not-affected') return { ...hit(`CPE ${what}: ${check.detail}`, 'high'), notAffected: true };
    if (check?.status === 'unknown' && (isWild(adv.version) || cpeIsFix)) return hit(`CPE ${what}: ${check.detail}`, 'low');
  }
  if (isWild(adv.version) || cpeIsFix) {
    return version === undefined
      ? hit(`CPE ${what} (all versions); version unknown`, 'low')
      : hit(`CPE ${what} names no version, so it covers inventory version ${version}`, 'medium');
  }
  if (version === undefined) return hit(`CPE ${what} ${adv.version}; version unknown`, 'low');
  if (version !== adv.version) return undefined;
  if (!isWild(adv.update) && !isWild(own.update) && adv.update !== own.update) return undefined;
  return hit(`CPE ${what} version ${adv.version} equals the inventory's`, 'high');
}
