import type { InventoryItem } from '../model/inventory.js';
import { canonicalName, tokenPrefixes, type AliasTable } from './names.js';

/**
 * Candidate lookup by product name, so matching costs grow with candidate pairs rather than
 * advisories × items. Each item is filed under every token prefix of its canonical product
 * ("windows", "windows server", "windows server 2019"), which lets a broad advisory product
 * ("Windows") find specific inventory entries.
 */
export interface InventoryIndex {
  readonly items: readonly InventoryItem[];
  readonly aliases: AliasTable;
  /** Items whose canonical product starts with (or equals) the given canonical name. */
  byProductPrefix(canonicalProduct: string): readonly IndexedItem[];
}

export interface IndexedItem {
  readonly item: InventoryItem;
  readonly product: string; // canonical
  readonly vendor: string | undefined; // canonical
}

export function buildInventoryIndex(items: readonly InventoryItem[], aliases: AliasTable): InventoryIndex {
  const byPrefix = new Map<string, IndexedItem[]>();
  for (const item of items) {
    const productName = item.product ?? item.name;
    const product = canonicalName(productName, aliases);
    if (!product) continue;
    const entry: IndexedItem = { item, product, vendor: item.vendor ? canonicalName(item.vendor, aliases) : undefined };
    for (const prefix of new Set([...tokenPrefixes(product), product])) {
      const list = byPrefix.get(prefix);
      if (list) list.push(entry);
      else byPrefix.set(prefix, [entry]);
    }
  }
  return { items, aliases, byProductPrefix: (p) => byPrefix.get(p) ?? [] };
}
