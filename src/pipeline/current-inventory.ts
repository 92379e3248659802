import { effectiveInventory } from '../inventory/effective.js';
import { buildInventoryIndex, type InventoryIndex } from '../match/inventory-index.js';
import type { Deps } from './deps.js';

/**
 * The index to match with now: the config files' (built once in createApp) merged with the store's
 * collections, read again each time so an import reaches a running `serve`/`worker` without a restart.
 * With nothing stored it is the config's index itself (the demo's case).
 */
export async function currentInventory(deps: Pick<Deps, 'store' | 'inventory'>): Promise<InventoryIndex> {
  const collections = await deps.store.listInventoryCollections();
  if (collections.length === 0) return deps.inventory;
  const stored = await deps.store.listInventory();
  const items = effectiveInventory(deps.inventory.items, collections.map((c) => c.collection), stored);
  // The config's keyword rules apply to the stored collections too (a rule may name one of them).
  return buildInventoryIndex(items, deps.inventory.aliases, { keywords: deps.inventory.keywords.map((k) => k.rule) });
}
