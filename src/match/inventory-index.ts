import type { InventoryItem } from '../model/inventory.js';
import { cpeKey, parseCpe } from './cpe-name.js';
import { canonicalName, productKey, tokenPrefixes, type AliasTable } from './names.js';
import { compileKeywordRules, type CompiledKeywordRule, type KeywordRule } from './keyword.js';
import { parsePurl } from './package-url.js';

/**
 * Candidate lookup, so matching costs grow with candidate pairs rather than advisories × items.
 * Each item is filed under every token prefix of its canonical product ("windows", "windows
 * server", "windows server 2019"), which lets a broad advisory product ("Windows") find specific
 * inventory entries; items with a purl under purl type + name, items with a CPE under vendor:product.
 */
export interface InventoryIndex {
  readonly items: readonly InventoryItem[];
  readonly aliases: AliasTable;
  /** Items whose canonical product starts with (or equals) the given canonical name. */
  byProductPrefix(canonicalProduct: string): readonly IndexedItem[];
  /** Items whose canonical product is exactly the given canonical name. */
  byProduct(canonicalProduct: string): readonly IndexedItem[];
  /** Items whose purl names this package (`PackageId.key`: type/normalised name). */
  byPackage(key: string): readonly InventoryItem[];
  /** Items whose CPE has this `vendor:product` (lower case). */
  byCpe(vendorProduct: string): readonly InventoryItem[];
  /** Operator keyword rules (config `matching.keywords`) with their items. */
  readonly keywords: readonly CompiledKeywordRule[];
}

export interface IndexedItem {
  readonly item: InventoryItem;
  readonly product: string; // canonical, qualifiers split off (names.ts productKey)
  readonly vendor: string | undefined; // canonical
  /** Qualifiers split off the item's own product name ("Server Core installation"). */
  readonly qualifiers: readonly string[];
}

const push = <T>(map: Map<string, T[]>, key: string, value: T): void => {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
};

/** Builds every lookup once per inventory; pure. */
export function buildInventoryIndex(
  items: readonly InventoryItem[],
  aliases: AliasTable,
  options: { readonly keywords?: readonly KeywordRule[] } = {},
): InventoryIndex {
  const byPrefix = new Map<string, IndexedItem[]>();
  const byExact = new Map<string, IndexedItem[]>();
  const byPackage = new Map<string, InventoryItem[]>();
  const byCpe = new Map<string, InventoryItem[]>();
  for (const item of items) {
    const pkg = item.purl ? parsePurl(item.purl) : undefined;
    if (pkg) push(byPackage, pkg.key, item);
    const cpe = item.cpe ? parseCpe(item.cpe) : undefined;
    if (cpe) push(byCpe, cpeKey(cpe), item);
    const vendor = item.vendor ? canonicalName(item.vendor, aliases) : undefined;
    const { key: product, qualifiers } = productKey(item.product ?? item.name, vendor, aliases);
    if (!product) continue;
    const entry: IndexedItem = { item, product, vendor, qualifiers };
    for (const prefix of new Set([...tokenPrefixes(product), product])) push(byPrefix, prefix, entry);
    push(byExact, product, entry);
  }
  return {
    items,
    aliases,
    byProductPrefix: (p) => byPrefix.get(p) ?? [],
    byProduct: (p) => byExact.get(p) ?? [],
    byPackage: (k) => byPackage.get(k) ?? [],
    byCpe: (k) => byCpe.get(k) ?? [],
    keywords: compileKeywordRules(options.keywords ?? [], items),
  };
}
