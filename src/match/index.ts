export { matchAdvisory, DEFAULT_MATCHERS } from './match.js';
export { buildInventoryIndex, type InventoryIndex } from './inventory-index.js';
export { buildAliasTable, normalizeName, canonicalName, type AliasTable } from './names.js';
export type { Matcher, MatchHit } from './matcher.js';
export { purlMatcher } from './purl.js';
export { cpeMatcher } from './cpe.js';
export { parsePurl, type PackageId } from './package-url.js';
export { parseCpe, type CpeName } from './cpe-name.js';
