// The quarantine part of the Store contract for SQLite (migration 2).
import type { Database } from 'better-sqlite3';
import type { NewQuarantineEntry, QuarantineEntry, Store } from '../store.js';

interface QuarantineRow { source_id: string; url: string; sha256: string; status: string; reason: string; checks: string; quarantined_at: string }

/** quarantineDocument/listQuarantine over an open database; `run` wraps errors as the store does. */
export function sqliteQuarantine(db: Database, run: <T>(op: string, fn: () => T) => Promise<T>): Pick<Store, 'quarantineDocument' | 'listQuarantine'> {
  const put = db.prepare<Record<string, unknown>>(
    `INSERT INTO quarantine (source_id, url, sha256, status, reason, checks, quarantined_at)
     VALUES (@sourceId, @url, @sha256, @status, @reason, @checks, @quarantinedAt) ON CONFLICT DO NOTHING`,
  );
  const list = db.prepare<{ sourceId: string | null; limit: number }, QuarantineRow>(
    `SELECT * FROM quarantine WHERE (@sourceId IS NULL OR source_id = @sourceId) ORDER BY quarantined_at DESC, source_id, url LIMIT @limit`,
  );
  return {
    quarantineDocument: (e: NewQuarantineEntry) =>
      run('quarantineDocument', () => {
        const { changes } = put.run({ ...e, checks: JSON.stringify(e.checks) ?? 'null', quarantinedAt: e.quarantinedAt.toISOString() });
        return changes === 1 ? 'created' : 'exists';
      }),
    listQuarantine: (q = {}) => run('listQuarantine', () => list.all({ sourceId: q.sourceId ?? null, limit: q.limit ?? -1 }).map(toEntry)),
  };
}

/** Row → contract type (shared with the PostgreSQL adapter: the columns are the same). */
export function toEntry(r: QuarantineRow): QuarantineEntry {
  return {
    sourceId: r.source_id,
    url: r.url,
    sha256: r.sha256,
    status: r.status,
    reason: r.reason,
    checks: JSON.parse(r.checks) as unknown,
    quarantinedAt: r.quarantined_at,
  };
}

export type { QuarantineRow };
