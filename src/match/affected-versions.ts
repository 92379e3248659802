import { compareIn, schemeForType, type VersionScheme } from './versions.js';

// Versions as CSAF and CVRF state them, for the CPE and product-name matchers:
// - CSAF product_version_range names: `vers:` strings (https://github.com/package-url/purl-spec,
//   VERSION-RANGE-SPEC) or the free text publishers write ("<=5.8.4", ">= 5.4.1 | <= 5.7.1",
//   "All versions"); product_version names are single affected versions;
// - fixed versions (CSAF `fixed` product versions, CVRF Vendor Fix FixedBuild numbers).
// A fixed version at or below the item's means not affected; text we cannot read never decides
// "not affected": the match stands, at lower confidence, and says what could not be read.

type Op = '<' | '<=' | '>' | '>=' | '=' | '!=';
interface Constraint {
  readonly op: Op;
  readonly version: string;
}
interface ReadRange {
  readonly text: string;
  readonly scheme: VersionScheme;
  /** undefined: every version ("All versions", `vers:x/*`). */
  readonly constraints?: readonly Constraint[];
  /** Part of the text was dropped to read a version ("<V4.00_Utilizes…" read as "<V4.00"). */
  readonly loose: boolean;
}

export interface StatedVersions {
  readonly ranges?: readonly string[] | undefined;
  readonly fixed?: readonly string[] | undefined;
}

export type VersionCheck =
  | { readonly status: 'affected'; readonly detail: string; readonly exact: boolean }
  | { readonly status: 'not-affected'; readonly detail: string }
  | { readonly status: 'unknown'; readonly detail: string };

const VERSION_START = /^[vV]?\d[A-Za-z0-9.+~:-]*/;
const OP = /^(<=|>=|==|!=|<|>|=)?\s*(.*)$/;

/** A version token: all of it if it looks like a version, else its leading version part (loose). */
function readVersion(text: string): { version: string; loose: boolean } | undefined {
  const t = text.trim();
  const m = VERSION_START.exec(t);
  if (!m) return undefined;
  return { version: m[0], loose: m[0].length !== t.length };
}

/** Reads one range string; undefined when no version can be read from it at all. */
export function readRange(text: string, fallback: VersionScheme = 'generic'): ReadRange | undefined {
  const t = text.trim();
  if (/^(all(\s+versions)?|\*|any)$/i.test(t)) return { text: t, scheme: fallback, loose: false };
  const vers = /^vers:([a-z0-9.+-]+)\/(.*)$/i.exec(t);
  const scheme: VersionScheme = vers ? (vers[1]!.toLowerCase() === 'semver' ? 'semver' : schemeForType(vers[1]!)) : fallback;
  const body = vers ? vers[2]!.trim() : t;
  if (body === '*') return { text: t, scheme, loose: false };
  // "0 < 8.0.1": a lower and an upper bound with the version left out between them.
  const between = /^([vV]?\d\S*)\s*(<=?)\s*([vV]?\d\S*)$/.exec(body);
  const parts = between ? [`>=${between[1]}`, `${between[2]}${between[3]}`] : body.split(/\s*(?:\||,|&&|\band\b)\s*/i).filter(Boolean);
  const constraints: Constraint[] = [];
  let loose = false;
  for (const part of parts) {
    const m = OP.exec(part.trim());
    const v = m?.[2] ? readVersion(vers ? decodeURIComponent(m[2]) : m[2]) : undefined;
    if (!m || !v) return undefined;
    const op = (m[1] === '==' || m[1] === undefined ? '=' : m[1]) as Op;
    constraints.push({ op, version: v.version });
    loose ||= v.loose;
  }
  return constraints.length > 0 ? { text: t, scheme, constraints, loose } : undefined;
}

/** vers semantics: `=`/`!=` first, then bounds sorted by version, read as pairs (VERSION-RANGE-SPEC). */
function inRange(version: string, r: ReadRange): boolean | undefined {
  if (!r.constraints) return true;
  const cmp = (a: string, b: string): number | undefined => compareIn(r.scheme, a, b);
  for (const c of r.constraints) {
    const d = cmp(version, c.version);
    if (d === undefined) return undefined;
    if (c.op === '=' && d === 0) return true;
    if (c.op === '!=' && d === 0) return false;
  }
  const bounds = r.constraints.filter((c) => c.op !== '=' && c.op !== '!=').sort((a, b) => cmp(a.version, b.version) ?? 0);
  const holds = (c: Constraint): boolean => {
    const d = cmp(version, c.version) ?? 0;
    return c.op === '<' ? d < 0 : c.op === '<=' ? d <= 0 : c.op === '>' ? d > 0 : d >= 0;
  };
  const isUpper = (c: Constraint): boolean => c.op === '<' || c.op === '<=';
  if (bounds.length === 0) return false;
  if (isUpper(bounds[0]!) && holds(bounds[0]!)) return true;
  if (!isUpper(bounds.at(-1)!) && holds(bounds.at(-1)!)) return true;
  for (let i = 0; i + 1 < bounds.length; i++) {
    const lo = bounds[i]!;
    const hi = bounds[i + 1]!;
    if (!isUpper(lo) && isUpper(hi) && holds(lo) && holds(hi)) return true;
  }
  return false;
}

const DOTTED = /^[vV]?\d+(\.\d+)*$/;

/**
 * Fixed versions on the item's own build line: for 6.3.9600.20000, those of the form 6.3.9600.N.
 * Builds of the same shape on other lines are another release's fix (MSRC lists one per Windows
 * version): they say nothing about this item, so `otherLines` is set and none are returned.
 */
function sameLine(version: string, fixed: readonly string[]): { readonly fixed: readonly string[]; readonly otherLines: boolean } {
  const segs = version.split('.');
  if (!DOTTED.test(version) || segs.length < 3) return { fixed, otherLines: false };
  const shaped = fixed.filter((f) => DOTTED.test(f) && f.split('.').length === segs.length);
  if (shaped.length === 0) return { fixed, otherLines: false };
  const prefix = `${segs.slice(0, -1).join('.')}.`;
  const mine = shaped.filter((f) => f.startsWith(prefix));
  return { fixed: mine, otherLines: mine.length === 0 };
}

/**
 * What the advisory's stated versions say about one version; undefined when it states none (the
 * matcher then compares nothing and says so). Free-text ranges and fixed versions are ordered by
 * `scheme` (a purl's type), `vers:` strings by their own. `exact` is false when generic ordering decided
 * between versions that are not plain dotted numbers, or the range text was read loosely.
 */
export function checkVersion(version: string, stated: StatedVersions, scheme: VersionScheme = 'generic'): VersionCheck | undefined {
  const rangeTexts = stated.ranges ?? [];
  const fixedTexts = stated.fixed ?? [];
  if (rangeTexts.length === 0 && fixedTexts.length === 0) return undefined;
  const plain = DOTTED.test(version);
  const unreadable: string[] = [];
  let incomparable = false;
  for (const text of rangeTexts) {
    const r = readRange(text, scheme);
    if (!r) {
      unreadable.push(text);
      continue;
    }
    const hit = inRange(version, r);
    if (hit === undefined) incomparable = true;
    if (hit) {
      const exact = !r.loose && (r.scheme !== 'generic' || (plain && (r.constraints ?? []).every((c) => DOTTED.test(c.version))));
      const how = r.constraints ? `in the affected versions "${text}"` : `covered by "${text}"`;
      return { status: 'affected', detail: `${version} is ${how}${r.loose ? ' (read loosely)' : ''}`, exact };
    }
  }
  const fixed = fixedTexts.flatMap((f) => {
    const v = readVersion(f);
    return v && !v.loose ? [v.version] : [];
  });
  const { fixed: line, otherLines } = sameLine(version, fixed);
  const atOrAbove = line.find((f) => (compareIn(scheme, version, f) ?? -1) >= 0);
  if (atOrAbove !== undefined) return { status: 'not-affected', detail: `${version} is at or above the fixed version ${atOrAbove}` };
  if (rangeTexts.length === 0 && line.length > 0) {
    const exact = scheme !== 'generic' || (plain && line.every((f) => DOTTED.test(f)));
    return { status: 'affected', detail: `${version} is below the fixed version ${line.join(' / ')}`, exact };
  }
  if (rangeTexts.length === 0 && otherLines) {
    return { status: 'unknown', detail: `the fixed builds ${fixed.join(' / ')} are for other build lines than ${version}; treated as version unknown` };
  }
  if (unreadable.length > 0 || incomparable) {
    const what = unreadable.length > 0 ? `the advisory's versions "${unreadable.join('", "')}" cannot be read` : `${version} cannot be compared`;
    return { status: 'unknown', detail: `${what}; treated as version unknown` };
  }
  if (rangeTexts.length === 0) return { status: 'unknown', detail: `the fixed versions "${fixedTexts.join('", "')}" cannot be read` };
  return { status: 'not-affected', detail: `${version} is outside the affected versions "${rangeTexts.join('", "')}"` };
}
