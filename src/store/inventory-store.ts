// The inventory part of the Store contract (migration 3): collections imported with
// `secwatch inventory import` (or, later, the HTTP API), kept apart from store.ts so they read in one place.
import type { InventoryItem } from '../model/inventory.js';

export interface InventoryStore {
  /**
   * Make `items` the whole content of `collection`, in ONE transaction: items are keyed by name
   * (every item must name this collection; names unique, else StoreError and nothing changes).
   * Counts compare with what was stored: `added` (new name), `changed` (same name, any field
   * differs), `removed` (name gone), `unchanged`. An empty list keeps the collection, empty.
   */
  replaceInventoryCollection(collection: string, items: readonly InventoryItem[], at: Date): Promise<InventoryReplaceResult>;
  /** Stored items by collection, then name; only one collection's when given. */
  listInventory(query?: { collection?: string }): Promise<InventoryItem[]>;
  /** Every stored collection (also empty ones), by name. */
  listInventoryCollections(): Promise<InventoryCollectionInfo[]>;
  /** Forget a collection and its items; false when there was none. */
  deleteInventoryCollection(collection: string): Promise<boolean>;
}

export interface InventoryReplaceResult {
  readonly added: number;
  readonly changed: number;
  readonly removed: number;
  readonly unchanged: number;
}

export interface InventoryCollectionInfo {
  readonly collection: string;
  readonly items: number;
  /** ISO 8601: the `at` of the last replace. */
  readonly replacedAt: string;
}
