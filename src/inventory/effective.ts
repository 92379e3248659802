// Which inventory the pipeline matches against: the config's inventory files plus the stored collections.
import type { InventoryItem } from '../model/inventory.js';

/**
 * A collection held in the store (imported with `secwatch inventory import`, even empty) replaces
 * the config files' items of the same collection whole; every other stored collection is added.
 * So re-importing "servers" supersedes the "servers" in inventory.files, and nothing is matched twice.
 */
export function effectiveInventory(
  fileItems: readonly InventoryItem[],
  storedCollections: readonly string[],
  storedItems: readonly InventoryItem[],
): InventoryItem[] {
  const shadowed = new Set([...storedCollections, ...storedItems.map((i) => i.collection)]);
  return [...fileItems.filter((i) => !shadowed.has(i.collection)), ...storedItems];
}
