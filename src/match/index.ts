export { matchAdvisory, DEFAULT_MATCHERS } from './match.js';
export { buildInventoryIndex, type InventoryIndex } from './inventory-index.js';
export { buildAliasTable, normalizeName, canonicalName, type AliasTable } from './names.js';
export type { Matcher, MatchHit } from './matcher.js';
