// The inventory part of the Store contract for SQLite (migration 3).
import type { Database } from 'better-sqlite3';
import { planInventoryReplace, toItem, type InventoryRow } from '../inventory-rows.js';
import type { InventoryCollectionInfo, InventoryReplaceResult, InventoryStore } from '../inventory-store.js';
import type { InventoryItem } from '../../model/inventory.js';

type Run = <T>(op: string, fn: () => T) => Promise<T>;
interface CollectionRow { collection: string; replaced_at: string; items: number }

/** The InventoryStore methods over an open database; `run` wraps errors as the store does. */
export function sqliteInventory(db: Database, run: Run): InventoryStore {
  const q = {
    rows: db.prepare<[string], InventoryRow>('SELECT name, json FROM inventory_items WHERE collection = ?'),
    touch: db.prepare<[string, string]>(
      'INSERT INTO inventory_collections (collection, replaced_at) VALUES (?, ?) ON CONFLICT (collection) DO UPDATE SET replaced_at = excluded.replaced_at',
    ),
    put: db.prepare<Record<string, unknown>>(
      `INSERT INTO inventory_items (collection, name, json, updated_at) VALUES (@collection, @name, @json, @at)
       ON CONFLICT (collection, name) DO UPDATE SET json = excluded.json, updated_at = excluded.updated_at`,
    ),
    remove: db.prepare<[string, string]>('DELETE FROM inventory_items WHERE collection = ? AND name = ?'),
    listAll: db.prepare<[], { json: string }>('SELECT json FROM inventory_items ORDER BY collection, name'),
    listOne: db.prepare<[string], { json: string }>('SELECT json FROM inventory_items WHERE collection = ? ORDER BY name'),
    collections: db.prepare<[], CollectionRow>(
      `SELECT c.collection, c.replaced_at, (SELECT count(*) FROM inventory_items AS i WHERE i.collection = c.collection) AS items
       FROM inventory_collections AS c ORDER BY c.collection`,
    ),
    drop: db.prepare<[string]>('DELETE FROM inventory_collections WHERE collection = ?'),
  };

  // Read, diff and write in one IMMEDIATE transaction: the counts describe exactly the change made.
  const replace = db.transaction((collection: string, items: readonly InventoryItem[], at: string): InventoryReplaceResult => {
    const plan = planInventoryReplace(collection, items, q.rows.all(collection));
    q.touch.run(collection, at);
    for (const name of plan.removals) q.remove.run(collection, name);
    for (const row of plan.upserts) q.put.run({ collection, name: row.name, json: row.json, at });
    return plan.counts;
  });

  return {
    replaceInventoryCollection: (collection, items, at) => run('replaceInventoryCollection', () => replace.immediate(collection, items, at.toISOString())),
    listInventory: (query = {}) =>
      run('listInventory', () => (query.collection === undefined ? q.listAll.all() : q.listOne.all(query.collection)).map(toItem)),
    listInventoryCollections: () =>
      run('listInventoryCollections', () =>
        q.collections.all().map((r): InventoryCollectionInfo => ({ collection: r.collection, items: Number(r.items), replacedAt: r.replaced_at })),
      ),
    deleteInventoryCollection: (collection) => run('deleteInventoryCollection', () => q.drop.run(collection).changes === 1),
  };
}
