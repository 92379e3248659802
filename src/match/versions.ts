import * as pep440 from '@renovatebot/pep440';
import semver from 'semver';
import type { OsvEvent, OsvRange } from '../model/advisory.js';
import { compareDeb } from './dpkg-version.js';
import { compareMaven } from './maven-version.js';
import { compareRpm } from './rpm-version.js';

// OSV range evaluation: https://ossf.github.io/osv-schema/#evaluation. Each ecosystem's versions
// are ordered its own way: semver (npm, Go) by `semver`, PyPI by PEP 440 (@renovatebot/pep440),
// Maven by ComparableVersion, Debian/Ubuntu by dpkg and RPM distributions by rpmvercmp (small
// ports of the documented algorithms: no maintained npm library does them). Anything else falls
// back to a generic ordering of numeric and alphabetic runs, which the caller reports as weaker.

/** How two versions were ordered: the matcher's confidence depends on it. */
export type VersionScheme = 'semver' | 'pep440' | 'maven' | 'dpkg' | 'rpm' | 'generic';

/** OSV ecosystem (before any ":suffix") → the ordering its versions follow. */
const ECOSYSTEM_SCHEMES: Record<string, VersionScheme> = {
  go: 'semver',
  npm: 'semver',
  'crates.io': 'semver',
  pypi: 'pep440',
  maven: 'maven',
  debian: 'dpkg',
  ubuntu: 'dpkg',
  'red hat': 'rpm',
  rocky: 'rpm',
  almalinux: 'rpm',
  suse: 'rpm',
  opensuse: 'rpm',
  'suse linux enterprise server': 'rpm',
  mageia: 'rpm',
  'azure linux': 'rpm',
};

/** purl type → the ordering of its versions (for CSAF products that name a purl and no ecosystem). */
const PURL_SCHEMES: Record<string, VersionScheme> = {
  npm: 'semver',
  golang: 'semver',
  cargo: 'semver',
  pypi: 'pep440',
  maven: 'maven',
  deb: 'dpkg',
  rpm: 'rpm',
};

/** The scheme an OSV range of this type in this ecosystem is ordered by. */
export function schemeFor(rangeType: string, ecosystem: string | undefined): VersionScheme {
  if (rangeType === 'SEMVER') return 'semver';
  const eco = (ecosystem ?? '').split(':')[0]!.trim().toLowerCase();
  return ECOSYSTEM_SCHEMES[eco] ?? 'generic';
}

/** The scheme for a purl type (or a vers scheme, which uses the same names), generic if unknown. */
export const schemeForType = (type: string): VersionScheme => PURL_SCHEMES[type.toLowerCase()] ?? 'generic';

/** Parses a semver-ish version: `v` and Go `go` prefixes stripped, "1.21" padded to "1.21.0". */
export function toSemver(version: string): semver.SemVer | undefined {
  const bare = version.trim().replace(/^(?:go|v)(?=\d)/, '');
  const padded = /^\d+(?:\.\d+)?(?=$|[-+])/.exec(bare);
  const full = padded ? bare.replace(padded[0], padded[0].split('.').length === 1 ? `${padded[0]}.0.0` : `${padded[0]}.0`) : bare;
  return semver.parse(full, { loose: true }) ?? undefined;
}

/** Generic order: runs of digits compare as numbers, letters as text, a shorter version first. */
export function compareGeneric(a: string, b: string): number {
  const ta = a.trim().replace(/^v(?=\d)/i, '').match(/\d+|[a-z]+/gi) ?? [];
  const tb = b.trim().replace(/^v(?=\d)/i, '').match(/\d+|[a-z]+/gi) ?? [];
  for (let i = 0; i < Math.max(ta.length, tb.length); i++) {
    const x = ta[i];
    const y = tb[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const nx = /^\d+$/.test(x);
    const ny = /^\d+$/.test(y);
    if (nx && ny) {
      const d = BigInt(x) - BigInt(y);
      if (d !== 0n) return d < 0n ? -1 : 1;
    } else if (nx !== ny) return nx ? 1 : -1; // "1.0.1" after "1.0.rc1"
    else if (x !== y) return x.toLowerCase() < y.toLowerCase() ? -1 : 1;
  }
  return 0;
}

/** A comparator for one scheme, or undefined when a version cannot be read in it. */
export function compareIn(scheme: VersionScheme, a: string, b: string): number | undefined {
  switch (scheme) {
    case 'generic':
      return compareGeneric(a, b);
    case 'pep440':
      return pep440.valid(a) !== null && pep440.valid(b) !== null ? Math.sign(pep440.compare(a, b)) : undefined;
    case 'maven':
      return compareMaven(a, b);
    case 'dpkg':
      return compareDeb(a, b);
    case 'rpm':
      return compareRpm(a, b);
    case 'semver': {
      const x = toSemver(a);
      const y = toSemver(b);
      return x && y ? semver.compare(x, y) : undefined;
    }
  }
}

/** The outcome of checking one version against one OSV range. */
export type RangeVerdict =
  | { readonly status: 'affected'; readonly from: string; readonly to?: string; readonly bound?: 'fixed' | 'last_affected' | 'limit' }
  | { readonly status: 'not-affected' }
  | { readonly status: 'incomparable'; readonly version: string };

const eventValue = (e: OsvEvent): string =>
  'introduced' in e ? e.introduced : 'fixed' in e ? e.fixed : 'last_affected' in e ? e.last_affected : e.limit;

/** OSV semantics: the state after the last event at or below the version, limits capping all. */
export function evaluateRange(version: string, range: OsvRange, scheme: VersionScheme): RangeVerdict {
  const cmp = (a: string, b: string): number | undefined => (a === '0' ? (b === '0' ? 0 : -1) : b === '0' ? 1 : compareIn(scheme, a, b));
  if (compareIn(scheme, version, version) === undefined) return { status: 'incomparable', version };
  for (const e of range.events) {
    const v = eventValue(e);
    if (v !== '0' && cmp(v, v) === undefined) return { status: 'incomparable', version: v };
  }
  const events = [...range.events].sort((a, b) => cmp(eventValue(a), eventValue(b)) ?? 0);
  let from: string | undefined;
  for (const e of events) {
    const v = eventValue(e);
    const c = cmp(version, v) ?? 0;
    if ('limit' in e) {
      if (c >= 0) return { status: 'not-affected' };
      continue;
    }
    if ('introduced' in e) {
      if (c >= 0) from = v;
    } else if ('fixed' in e ? c >= 0 : c > 0) from = undefined;
  }
  if (from === undefined) return { status: 'not-affected' };
  const start = from;
  const next = events.find((e) => !('introduced' in e) && (cmp(eventValue(e), start) ?? 0) >= 0);
  if (!next) return { status: 'affected', from: start };
  const bound = 'fixed' in next ? 'fixed' : 'last_affected' in next ? 'last_affected' : 'limit';
  return { status: 'affected', from: start, to: eventValue(next), bound };
}
