import type { AffectedProduct, OsvRange } from '../model/advisory.js';
import type { InventoryItem } from '../model/inventory.js';
import type { Confidence } from '../model/match.js';
import type { Matcher, MatchHit } from './matcher.js';
import { packageOf, parsePurl, type PackageId } from './package-url.js';
import { checkVersion } from './affected-versions.js';
import { evaluateRange, schemeFor, schemeForType, type RangeVerdict, type VersionScheme } from './versions.js';

// Package URL + OSV ranges (https://ossf.github.io/osv-schema/#affectedranges-field). An item is
// hit when its purl names the same package and its version falls in a range; a fixed version is
// no hit (and weaker matchers may not overrule that); an unknown version is a low-confidence hit that says so. GIT ranges are skipped.

/** What the product says about affected versions, in one shape for OSV and CSAF products. */
interface Ranges {
  readonly ranges: readonly OsvRange[];
  readonly versions: readonly string[];
  readonly ecosystem: string | undefined;
  /** Ordering for ECOSYSTEM ranges when no ecosystem is named (a CSAF purl's type). */
  readonly typeScheme: VersionScheme;
}

/** The strongest matcher: package identity plus version ranges, so upgraded systems stay quiet. */
export const purlMatcher: Matcher = {
  name: 'purl',
  match(advisory, index) {
    const hits: MatchHit[] = [];
    for (const affected of advisory.products) {
      const pkg = packageOf(affected.ecosystem, affected.product, affected.purl);
      if (!pkg) continue;
      const ranges = rangesOf(affected, pkg);
      if (ranges.ranges.length === 0 && ranges.versions.length === 0) {
        // A CSAF product: a purl without version plus product_version_range / fixed versions.
        if (!affected.osvRanges && ((affected.ranges?.length ?? 0) > 0 || (affected.fixed?.length ?? 0) > 0)) {
          for (const item of index.byPackage(pkg.key)) hits.push(judgeStated(pkg, affected, item));
        }
        continue;
      }
      for (const item of index.byPackage(pkg.key)) {
        hits.push(judge(pkg, ranges, item));
      }
    }
    return hits;
  },
};

function rangesOf(affected: AffectedProduct, pkg: PackageId): Ranges {
  const ranges = (affected.osvRanges ?? []).filter((r) => r.type === 'SEMVER' || r.type === 'ECOSYSTEM');
  // A CSAF product whose purl carries the fixed version: everything below it is affected.
  if (ranges.length === 0 && !affected.osvRanges && pkg.version && affected.fixed && affected.fixed.length > 0) {
    return {
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: pkg.version }] }],
      versions: [],
      ecosystem: undefined,
      typeScheme: schemeForType(pkg.type),
    };
  }
  return { ranges, versions: affected.versions ?? [], ecosystem: affected.ecosystem, typeScheme: schemeForType(pkg.type) };
}

/** The item's version: the one in its purl, else its `version` field. */
export function itemVersion(item: InventoryItem): string | undefined {
  const fromPurl = item.purl ? parsePurl(item.purl)?.version : undefined;
  return fromPurl ?? item.version;
}

function judge(pkg: PackageId, r: Ranges, item: InventoryItem): MatchHit {
  const version = itemVersion(item);
  const what = `${pkg.type}/${pkg.name}`;
  const hit = (reason: string, confidence: Confidence): MatchHit => ({ item, matcher: 'purl', reason, confidence });
  if (version === undefined) return hit(`package ${what} is affected in some versions; version unknown`, 'low');
  if (r.versions.includes(version)) return hit(`package ${what} ${version} is listed as affected`, 'high');
  let incomparable: string | undefined;
  for (const range of r.ranges) {
    const scheme: VersionScheme = r.ecosystem === undefined && range.type === 'ECOSYSTEM' ? r.typeScheme : schemeFor(range.type, r.ecosystem);
    const verdict: RangeVerdict = evaluateRange(version, range, scheme);
    if (verdict.status === 'incomparable') incomparable ??= verdict.version;
    if (verdict.status !== 'affected') continue;
    const upper = verdict.to === undefined ? ', no fix published' : `, ${verdict.bound === 'last_affected' ? 'last affected' : verdict.bound} ${verdict.to}`;
    const span = `introduced ${verdict.from}${upper}`;
    return scheme !== 'generic'
      ? hit(`package ${what} ${version} is in the affected range (${range.type}: ${span}; ${scheme} ordering)`, 'high')
      : hit(`package ${what} ${version} is in the affected range (${range.type}: ${span}; generic version ordering, not the ecosystem's own)`, 'medium');
  }
  if (incomparable !== undefined) return hit(`package ${what}: version ${incomparable} cannot be compared; treated as version unknown`, 'low');
  return { ...hit(`package ${what} ${version} is outside every affected range`, 'high'), notAffected: true };
}

/** CSAF-style stated versions (vers strings, range text, fixed versions), ordered by the purl's type. */
function judgeStated(pkg: PackageId, affected: AffectedProduct, item: InventoryItem): MatchHit {
  const version = itemVersion(item);
  const what = `${pkg.type}/${pkg.name}`;
  const hit = (reason: string, confidence: Confidence): MatchHit => ({ item, matcher: 'purl', reason, confidence });
  if (version === undefined) return hit(`package ${what} is affected in some versions; version unknown`, 'low');
  const scheme = schemeForType(pkg.type);
  const check = checkVersion(version, affected, scheme);
  if (!check || check.status === 'unknown') return hit(`package ${what}: ${check?.detail ?? 'no versions stated'}`, 'low');
  if (check.status === 'not-affected') return { ...hit(`package ${what}: ${check.detail}`, 'high'), notAffected: true };
  return hit(`package ${what}: ${check.detail} (${scheme} ordering)`, check.exact ? 'high' : 'medium');
}
