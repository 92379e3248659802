// The inventory part of the Store contract for PostgreSQL (migration 3).
import type { Pool, PoolClient } from 'pg';
import { planInventoryReplace, toItem, type InventoryRow } from '../inventory-rows.js';
import type { InventoryStore } from '../inventory-store.js';

type Run = <T>(op: string, fn: () => Promise<T>) => Promise<T>;
type Transaction = <T>(fn: (client: PoolClient) => Promise<T>) => Promise<T>;

/** The InventoryStore methods over a pool; `run` wraps errors, `transaction` is the store's BEGIN…COMMIT. */
export function pgInventory(pool: Pool, run: Run, transaction: Transaction): InventoryStore {
  return {
    replaceInventoryCollection: (collection, items, at) =>
      run('replaceInventoryCollection', () =>
        transaction(async (c) => {
          // Two imports of one collection at once take turns, so each one's counts describe its own change.
          await c.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`secwatch-inventory:${collection}`]);
          const { rows } = await c.query<InventoryRow>('SELECT name, json FROM inventory_items WHERE collection = $1', [collection]);
          const plan = planInventoryReplace(collection, items, rows);
          const when = at.toISOString();
          await c.query(
            `INSERT INTO inventory_collections (collection, replaced_at) VALUES ($1, $2)
             ON CONFLICT (collection) DO UPDATE SET replaced_at = excluded.replaced_at`,
            [collection, when],
          );
          if (plan.removals.length > 0) {
            await c.query('DELETE FROM inventory_items WHERE collection = $1 AND name = ANY($2::text[])', [collection, [...plan.removals]]);
          }
          if (plan.upserts.length > 0) {
            await c.query(
              `INSERT INTO inventory_items (collection, name, json, updated_at)
               SELECT $1, name, json, $4 FROM unnest($2::text[], $3::text[]) AS i (name, json)
               ON CONFLICT (collection, name) DO UPDATE SET json = excluded.json, updated_at = excluded.updated_at`,
              [collection, plan.upserts.map((r) => r.name), plan.upserts.map((r) => r.json), when],
            );
          }
          return plan.counts;
        }),
      ),
    listInventory: (query = {}) =>
      run('listInventory', async () =>
        (
          await pool.query<{ json: string }>('SELECT json FROM inventory_items WHERE ($1::text IS NULL OR collection = $1) ORDER BY collection, name', [
            query.collection ?? null,
          ])
        ).rows.map(toItem),
      ),
    listInventoryCollections: () =>
      run('listInventoryCollections', async () =>
        (
          await pool.query<{ collection: string; replaced_at: string; items: string }>(
            `SELECT c.collection, c.replaced_at, (SELECT count(*) FROM inventory_items AS i WHERE i.collection = c.collection) AS items
             FROM inventory_collections AS c ORDER BY c.collection`,
          )
        ).rows.map((r) => ({ collection: r.collection, items: Number(r.items), replacedAt: r.replaced_at })),
      ),
    deleteInventoryCollection: (collection) =>
      run('deleteInventoryCollection', async () => ((await pool.query('DELETE FROM inventory_collections WHERE collection = $1', [collection])).rowCount ?? 0) === 1),
  };
}
