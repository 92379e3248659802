import type { InventoryItem } from '../model/inventory.js';
import { cpeKey, parseCpe } from './cpe-name.js';
import { canonicalName, tokenPrefixes, type AliasTable } from './names.js';
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
  /** Items whose purl names this package (`PackageId.key`: type/normalised name). */
  byPackage(key: string): readonly InventoryItem[];
  /** Items whose CPE has this `vendor:product` (lower case). */
  byCpe(vendorProduct: string): readonly InventoryItem[];
}

export interface IndexedItem {
  readonly item: InventoryItem;
  readonly product: string; // canonical
  readonly vendor: string | undefined; // canonical
}

const push = <T>(map: Map<string, T[]>, key: string, value: T): void => {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
};

/** Builds every lookup once per inventory; pure. */
export function buildInventoryIndex(items: readonly InventoryItem[], aliases: AliasTable): InventoryIndex {
  const byPrefix = new Map<string, IndexedItem[]>();
  const byPackage = new Map<string, InventoryItem[]>();
  const byCpe = new Map<string, InventoryItem[]>();
  for (const item of items) {
    const pkg = item.purl ? parsePurl(item.purl) : undefined;
    if (pkg) push(byPackage, pkg.key, item);
    const cpe = item.cpe ? parseCpe(item.cpe) : undefined;
    if (cpe) push(byCpe, cpeKey(cpe), item);
    const productName = item.product ?? item.name;
    const product = canonicalName(productName, aliases);
    if (!product) continue;
    const entry: IndexedItem = { item, product, vendor: item.vendor ? canonicalName(item.vendor, aliases) : undefined };
    for (const prefix of new Set([...tokenPrefixes(product), product])) push(byPrefix, prefix, entry);
  }
  return {
    items,
    aliases,
    byProductPrefix: (p) => byPrefix.get(p) ?? [],
    byPackage: (k) => byPackage.get(k) ?? [],
    byCpe: (k) => byCpe.get(k) ?? [],
  };
}
