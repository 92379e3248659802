// The inventory replace as both dialects do it: validate, canonicalise, diff. Pure, so SQLite and
// PostgreSQL compute added/changed/removed the same way; each runs it inside its own transaction.
import type { InventoryItem } from '../model/inventory.js';
import type { InventoryReplaceResult } from './inventory-store.js';
import { StoreError } from '../errors.js';

/** Field order of the stored JSON: the same item always gives the same text, so text equality is item equality. */
const FIELDS = ['name', 'vendor', 'product', 'version', 'purl', 'cpe', 'instances', 'location', 'collection', 'owner', 'exposed', 'testsFirst'] as const;

export function itemJson(item: InventoryItem): string {
  const out: Record<string, unknown> = {};
  for (const field of FIELDS) if (item[field] !== undefined) out[field] = item[field];
  return JSON.stringify(out);
}

export interface InventoryRow { name: string; json: string }

export interface InventoryPlan {
  /** Rows to insert or overwrite (added and changed), with their canonical JSON. */
  readonly upserts: readonly InventoryRow[];
  /** Names to delete. */
  readonly removals: readonly string[];
  readonly counts: InventoryReplaceResult;
}

/** Throws StoreError for an item of another collection or a name given twice: nothing is written then. */
export function planInventoryReplace(collection: string, items: readonly InventoryItem[], stored: readonly InventoryRow[]): InventoryPlan {
  if (collection === '') throw new StoreError('replaceInventoryCollection: the collection name is empty');
  const wanted = new Map<string, string>();
  for (const item of items) {
    if (item.collection !== collection) {
      throw new StoreError(`replaceInventoryCollection: item "${item.name}" is in collection "${item.collection}", not "${collection}"`);
    }
    if (wanted.has(item.name)) throw new StoreError(`replaceInventoryCollection: item "${item.name}" is given twice for collection "${collection}"`);
    wanted.set(item.name, itemJson(item));
  }
  const before = new Map(stored.map((r) => [r.name, r.json]));
  const upserts: InventoryRow[] = [];
  let added = 0;
  let changed = 0;
  for (const [name, json] of wanted) {
    const old = before.get(name);
    if (old === json) continue;
    if (old === undefined) added++;
    else changed++;
    upserts.push({ name, json });
  }
  const removals = [...before.keys()].filter((name) => !wanted.has(name));
  return { upserts, removals, counts: { added, changed, removed: removals.length, unchanged: wanted.size - added - changed } };
}

export const toItem = (r: { json: string }): InventoryItem => JSON.parse(r.json) as InventoryItem;
