// The subscription, acknowledgement and advisory-query part of the Store contract for PostgreSQL (migration 6).
import type { Pool } from 'pg';
import { StoreError } from '../../errors.js';
import { toStoredAdvisory, type AdvisoryRow } from '../rows.js';
import {
  checkedPublishedBounds,
  decodeAdvisoryCursor,
  searchFilterWords,
  toAcknowledgement,
  toAdvisoryPage,
  toSubscription,
  type AckRow,
  type SubscriptionRow,
  type SubscriptionStore,
} from '../subscription-store.js';

type Run = <T>(op: string, fn: () => Promise<T>) => Promise<T>;
const list = (v: readonly string[] | undefined): string[] | null => (v === undefined ? null : [...v]);

/**
 * queryAdvisories' text filter ($10: the words, each must be one of the advisory's). Left out of the
 * SQL when there are no words rather than guarded by "$10 IS NULL OR": an IN under an OR is never
 * turned into a join, so the planner would test every advisory instead of reading the word index first.
 */
const WORDS_FILTER = `AND a.id IN (
                   SELECT w.advisory_id FROM advisory_words w WHERE w.word = ANY($10::text[])
                   GROUP BY w.advisory_id HAVING count(*) = cardinality($10::text[]))`;

/** The SubscriptionStore methods over a pool; `run` wraps errors as the store does. */
export function pgSubscriptions(pool: Pool, run: Run): SubscriptionStore {
  const rows = async <R extends object>(sql: string, params: unknown[]): Promise<R[]> => (await pool.query<R>(sql, params)).rows;
  const get = async (id: string) => (await rows<SubscriptionRow>('SELECT * FROM subscriptions WHERE id = $1', [id])).map(toSubscription)[0];

  return {
    createSubscription: (s, tokenHash) =>
      run('createSubscription', async () => {
        // One statement, so the subscription never exists without its token.
        await pool.query(
          `WITH s AS (INSERT INTO subscriptions (id, channel, target, settings, status, created_at, updated_at)
                      VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id)
           INSERT INTO subscription_tokens (token_hash, subscription_id, created_at) SELECT $8, id, $6 FROM s`,
          [s.id, s.channel, s.target, JSON.stringify(s.settings), s.status, s.createdAt, s.updatedAt, tokenHash],
        );
      }),
    getSubscription: (id) => run('getSubscription', () => get(id)),
    findSubscriptionByToken: (hash) =>
      run('findSubscriptionByToken', async () =>
        (await rows<SubscriptionRow>('SELECT s.* FROM subscriptions s JOIN subscription_tokens t ON t.subscription_id = s.id WHERE t.token_hash = $1', [hash])).map(
          toSubscription,
        )[0],
      ),
    addSubscriptionToken: (id, hash, at) =>
      run('addSubscriptionToken', async () => {
        const { rowCount } = await pool.query(
          'INSERT INTO subscription_tokens (token_hash, subscription_id, created_at) SELECT $1, id, $3 FROM subscriptions WHERE id = $2',
          [hash, id, at.toISOString()],
        );
        if (rowCount !== 1) throw new StoreError(`addSubscriptionToken: no subscription ${id}`);
      }),
    listSubscriptions: (q = {}) =>
      run('listSubscriptions', async () =>
        (
          await rows<SubscriptionRow>(
            `SELECT * FROM subscriptions WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR channel = $2) ORDER BY created_at, id LIMIT $3`,
            [q.status ?? null, q.channel ?? null, q.limit ?? null],
          )
        ).map(toSubscription),
      ),
    updateSubscription: (id, u, at) =>
      run('updateSubscription', async () =>
        (
          await rows<SubscriptionRow>(
            `UPDATE subscriptions SET status = COALESCE($2, status), target = COALESCE($3, target), settings = COALESCE($4, settings), updated_at = $5
             WHERE id = $1 RETURNING *`,
            [id, u.status ?? null, u.target ?? null, u.settings === undefined ? null : JSON.stringify(u.settings), at.toISOString()],
          )
        ).map(toSubscription)[0],
      ),
    deleteSubscription: (id) => run('deleteSubscription', async () => (await pool.query('DELETE FROM subscriptions WHERE id = $1', [id])).rowCount === 1),

    acknowledge: (a) =>
      run('acknowledge', async () =>
        toAcknowledgement(
          (
            await rows<AckRow>(
              `INSERT INTO acknowledgements (advisory_id, item_collection, item_name, status, note, acknowledged_at) VALUES ($1, $2, $3, $4, $5, $6)
               ON CONFLICT (advisory_id, item_collection, item_name) DO UPDATE SET status = excluded.status, note = excluded.note,
                 acknowledged_at = excluded.acknowledged_at
               RETURNING *`,
              [a.advisoryId, a.itemCollection, a.itemName, a.status, a.note ?? null, a.acknowledgedAt.toISOString()],
            )
          )[0]!,
        ),
      ),
    removeAcknowledgement: (advisoryId, collection, name) =>
      run(
        'removeAcknowledgement',
        async () =>
          (await pool.query('DELETE FROM acknowledgements WHERE advisory_id = $1 AND item_collection = $2 AND item_name = $3', [advisoryId, collection, name]))
            .rowCount === 1,
      ),
    listAcknowledgements: (ids) =>
      run('listAcknowledgements', async () =>
        (
          await rows<AckRow>(
            'SELECT * FROM acknowledgements WHERE ($1::text[] IS NULL OR advisory_id = ANY($1::text[])) ORDER BY advisory_id, item_collection, item_name',
            [list(ids)],
          )
        ).map(toAcknowledgement),
      ),

    queryAdvisories: (query) =>
      run('queryAdvisories', async () => {
        const after = query.cursor === undefined ? undefined : decodeAdvisoryCursor(query.cursor);
        if (query.cursor !== undefined && !after) throw new StoreError('queryAdvisories: not a cursor this store made');
        const published = checkedPublishedBounds(query);
        const words = searchFilterWords(query.text);
        const found = await rows<AdvisoryRow>(
          `SELECT json, first_seen, updated_at FROM advisories a
           WHERE ($1::text IS NULL OR updated_at >= $1)
             AND ($2::text[] IS NULL OR (json::jsonb ->> 'severity') = ANY($2::text[]))
             AND ($3::text[] IS NULL OR source_id = ANY($3::text[]))
             AND ($4::text[] IS NULL OR (json::jsonb ->> 'kind') = ANY($4::text[]))
             AND ($5::text IS NULL OR EXISTS (SELECT 1 FROM jsonb_array_elements_text(json::jsonb -> 'cves') c WHERE upper(c) = $5))
             AND ($6::boolean IS NULL OR $6 = EXISTS (SELECT 1 FROM matches m WHERE m.advisory_id = a.id))
             AND ($7::text IS NULL OR updated_at < $7 OR (updated_at = $7 AND id > $8))
             ${words ? WORDS_FILTER : 'AND $10::text[] IS NULL'}
             AND ($11::text IS NULL OR (published COLLATE "C") >= $11)
             AND ($12::text IS NULL OR (published COLLATE "C") < $12)
           ORDER BY updated_at DESC, id LIMIT $9`,
          [
            query.since ?? null,
            list(query.severities),
            list(query.sourceIds),
            list(query.kinds),
            query.cve?.toUpperCase() ?? null,
            query.matched ?? null,
            after?.updatedAt ?? null,
            after?.id ?? null,
            query.limit + 1,
            words ?? null,
            published.from ?? null,
            published.before ?? null,
          ],
        );
        return toAdvisoryPage(found.map(toStoredAdvisory), query.limit);
      }),
  };
}
