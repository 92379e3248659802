// The quarantine part of the Store contract for PostgreSQL (migration 2).
import type { Pool } from 'pg';
import { toEntry, type QuarantineRow } from '../sqlite/quarantine.js';
import type { NewQuarantineEntry, Store } from '../store.js';

/** quarantineDocument/listQuarantine over a pool; `run` wraps errors as the store does. */
export function pgQuarantine(pool: Pool, run: <T>(op: string, fn: () => Promise<T>) => Promise<T>): Pick<Store, 'quarantineDocument' | 'listQuarantine'> {
  return {
    quarantineDocument: (e: NewQuarantineEntry) =>
      run('quarantineDocument', async () => {
        const { rowCount } = await pool.query(
          `INSERT INTO quarantine (source_id, url, sha256, status, reason, checks, quarantined_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT DO NOTHING`,
          [e.sourceId, e.url, e.sha256, e.status, e.reason, JSON.stringify(e.checks) ?? 'null', e.quarantinedAt.toISOString()],
        );
        return rowCount === 1 ? 'created' : 'exists';
      }),
    listQuarantine: (q = {}) =>
      run('listQuarantine', async () =>
        (
          await pool.query<QuarantineRow>(
            `SELECT * FROM quarantine WHERE ($1::text IS NULL OR source_id = $1) ORDER BY quarantined_at DESC, source_id, url LIMIT $2`,
            [q.sourceId ?? null, q.limit ?? null],
          )
        ).rows.map(toEntry),
      ),
  };
}
