// The word index of PostgreSQL (migration 11, table advisory_words): written with each advisory, read
// by queryAdvisories' text filter.
import type { PoolClient } from 'pg';
import type { Advisory } from '../../model/advisory.js';
import { searchWordsOf } from '../search-words.js';

/** Rewrite the words of the advisories just written, inside the caller's upsert transaction. */
export async function indexSearchWordsTx(client: PoolClient, written: readonly Advisory[]): Promise<void> {
  if (written.length === 0) return;
  await client.query('DELETE FROM advisory_words WHERE advisory_id = ANY($1::text[])', [written.map((a) => a.id)]);
  const pairs = written.flatMap((a) => searchWordsOf(a).map((word) => [word, a.id] as const));
  if (pairs.length === 0) return;
  await client.query(
    'INSERT INTO advisory_words (word, advisory_id) SELECT word, id FROM unnest($1::text[], $2::text[]) AS p (word, id) ON CONFLICT DO NOTHING',
    [pairs.map((p) => p[0]), pairs.map((p) => p[1])],
  );
}

/** Rows read per round while indexing the advisories stored before migration 11. */
const BACKFILL_BATCH = 1000;

/** Index the advisories stored before migration 11 (runs inside the migration's transaction), a batch at a time. */
export async function backfillSearchWordsTx(client: PoolClient): Promise<void> {
  let after = '';
  for (;;) {
    const { rows } = await client.query<{ id: string; json: string }>('SELECT id, json FROM advisories WHERE id > $1 ORDER BY id LIMIT $2', [after, BACKFILL_BATCH]);
    if (rows.length === 0) return;
    await indexSearchWordsTx(client, rows.map((r) => JSON.parse(r.json) as Advisory));
    after = rows[rows.length - 1]!.id;
  }
}
