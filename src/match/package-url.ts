// Package URL: https://github.com/package-url/purl-spec (pkg:type/namespace/name@version?qualifiers#subpath)

/** The parts of a purl the matchers compare; `key` is type + normalised full name, the index key. */
export interface PackageId {
  readonly type: string;
  readonly name: string; // namespace/name, percent-decoded and normalised for the type
  readonly version?: string;
  readonly key: string;
}

/** OSV ecosystem → purl type, so OSV packages without a purl still meet inventory purls. */
const ECOSYSTEM_TYPES: Record<string, string> = {
  go: 'golang',
  npm: 'npm',
  pypi: 'pypi',
  maven: 'maven',
  'crates.io': 'cargo',
  rubygems: 'gem',
  nuget: 'nuget',
  packagist: 'composer',
  hex: 'hex',
  pub: 'pub',
  debian: 'deb',
  ubuntu: 'deb',
  alpine: 'apk',
  'red hat': 'rpm',
  rocky: 'rpm',
  almalinux: 'rpm',
};

/** Names as the ecosystems compare them: PyPI per PEP 503, the rest case-insensitively. */
export function normalizePackageName(type: string, name: string): string {
  const lower = name.toLowerCase();
  if (type === 'pypi') return lower.replace(/[-_.]+/g, '-');
  if (type === 'maven') return lower.replace(/:/g, '/');
  return lower;
}

/** Distro package types whose namespace is the distro, which OSV records do not name. */
const DISTRO_TYPES = new Set(['deb', 'rpm', 'apk', 'alpm']);

const make = (type: string, rawName: string, version: string | undefined): PackageId => {
  const bare = DISTRO_TYPES.has(type) ? (rawName.split('/').pop() ?? rawName) : rawName;
  const name = normalizePackageName(type, bare);
  return { type, name, ...(version ? { version } : {}), key: `${type}/${name}` };
};

/** Parses a purl; undefined for anything that is not one (the matcher then skips the product). */
export function parsePurl(purl: string): PackageId | undefined {
  const m = /^pkg:\/*([A-Za-z.+-][A-Za-z0-9.+-]*)\/(.+)$/.exec(purl.trim());
  if (!m?.[1] || !m[2]) return undefined;
  const rest = m[2].replace(/#.*$/, '').replace(/\?.*$/, '');
  const slash = rest.lastIndexOf('/');
  const at = rest.indexOf('@', slash + 1);
  const path = at >= 0 ? rest.slice(0, at) : rest;
  const version = at >= 0 ? safeDecode(rest.slice(at + 1)) : undefined;
  const name = path.split('/').filter(Boolean).map(safeDecode).join('/');
  if (!name) return undefined;
  return make(m[1].toLowerCase(), name, version || undefined);
}

/** The package an OSV `affected` entry names, as a purl would: its own purl, else ecosystem + name. */
export function packageOf(ecosystem: string | undefined, name: string, purl: string | undefined): PackageId | undefined {
  if (purl) return parsePurl(purl);
  const base = (ecosystem ?? '').split(':')[0]?.toLowerCase() ?? '';
  const type = ECOSYSTEM_TYPES[base];
  return type ? make(type, name, undefined) : undefined;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
