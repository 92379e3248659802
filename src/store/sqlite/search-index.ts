// The word index of SQLite (migration 11, table advisory_words): written with each advisory, read by
// queryAdvisories' text filter.
import type { Database } from 'better-sqlite3';
import type { Advisory } from '../../model/advisory.js';
import { searchWordsOf } from '../search-words.js';

/** `index` rewrites one advisory's words; call it inside the upsert transaction, after the advisory row. */
export function sqliteSearchIndex(db: Database): { index(advisory: Advisory): void } {
  const remove = db.prepare<[string]>('DELETE FROM advisory_words WHERE advisory_id = ?');
  const add = db.prepare<[string, string]>('INSERT OR IGNORE INTO advisory_words (word, advisory_id) VALUES (?, ?)');
  return {
    index(advisory) {
      remove.run(advisory.id);
      for (const word of searchWordsOf(advisory)) add.run(word, advisory.id);
    },
  };
}

/** Rows read per round while indexing the advisories stored before migration 11 (writing while iterating is not allowed). */
const BACKFILL_BATCH = 1000;

/** Index the advisories stored before migration 11 (runs inside the migration's transaction), a batch at a time. */
export function backfillSearchWords(db: Database): void {
  const words = sqliteSearchIndex(db);
  const batch = db.prepare<[string, number], { id: string; json: string }>('SELECT id, json FROM advisories WHERE id > ? ORDER BY id LIMIT ?');
  for (let rows = batch.all('', BACKFILL_BATCH); rows.length > 0; rows = batch.all(rows[rows.length - 1]!.id, BACKFILL_BATCH)) {
    for (const row of rows) words.index(JSON.parse(row.json) as Advisory);
  }
}
