// PostgreSQL adapter of the Store contract (src/store/store.ts), on node-postgres (pg) 8.
import type { PoolClient } from 'pg';
import { StoreError, describeError } from '../../errors.js';
import type { Advisory } from '../../model/advisory.js';
import type { Match } from '../../model/match.js';
import type { SourceState, Store } from '../store.js';
import { connectPg, type PgConnection } from './connection.js';
import { oldestFirst, toDelivery, toDocument, toSourceState, toStoredAdvisory, type AdvisoryRow, type DeliveryRow, type DocumentRow, type SourceStateRow } from '../rows.js';
import { upsertAdvisoriesTx } from './upsert-advisories.js';
import { pgQuarantine } from './quarantine.js';
import { pgCveIndex } from './cve-index.js';
import { pgSubscriptions } from './subscriptions.js';
import { pgInventory } from './inventory.js';

const DELIVERY_COLUMNS =
  'key, subscription_id, advisory_id, revision, channel, payload, status, attempts, created_at, next_attempt_at, sent_at, last_error, claimed_until, progress';
/** Due at $1: pending, or a retry whose time has come; and nobody holds a live claim on it. */
const DUE = `(status = 'pending' OR (status = 'retry' AND (next_attempt_at IS NULL OR next_attempt_at <= $1)))
  AND (claimed_until IS NULL OR claimed_until <= $1)`;
const ADVISORY_COLUMNS = 'json, first_seen, updated_at FROM advisories';

/** Open (migrating if needed) the store at a `postgres://` URL; `?schema=NAME` keeps its tables in that schema. */
export async function openPostgresStore(url: string): Promise<Store> {
  return createPostgresStore(await connectPg(url));
}

/** The Store over an open connection; `close()` ends its pool. */
export function createPostgresStore({ pool }: PgConnection): Store {
  let closed = false;

  /** One operation; anything it throws becomes a StoreError naming the operation (retryable: the runner tries again). */
  const run = async <T>(op: string, fn: () => Promise<T>): Promise<T> => {
    if (closed) throw new StoreError(`${op}: the store is closed`);
    try {
      return await fn();
    } catch (err) {
      throw err instanceof StoreError ? err : new StoreError(`${op}: ${describeError(err)}`, { cause: err });
    }
  };

  const query = async <R extends object>(sql: string, params: unknown[] = []): Promise<R[]> => (await pool.query<R>(sql, params)).rows;

  /** Several statements as one unit; a broken connection is discarded, not returned to the pool. */
  const transaction = async <T>(fn: (client: PoolClient) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    // A server going away while the client is checked out emits 'error' on it; the query in hand
    // rejects anyway, so listen only to keep the process alive (the pool covers idle clients).
    const ignore = (): void => undefined;
    client.on('error', ignore);
    let failed: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      failed = err instanceof Error ? err : new Error(String(err));
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.off('error', ignore);
      client.release(failed);
    }
  };

  const iso = (d: Date): string => d.toISOString();

  /**
   * Upsert states in ONE statement (atomic on its own), a column array each. A saved state replaces
   * the old one whole; a JSON null cursor is kept apart from "no cursor". ON CONFLICT may not touch
   * a row twice in one statement, so a source given twice keeps its last state only.
   */
  const saveSourceStatesSql = async (states: readonly SourceState[]): Promise<void> => {
    const last = [...new Map(states.map((s) => [s.sourceId, s])).values()];
    if (last.length === 0) return;
    await query(
      `INSERT INTO source_state (source_id, validators, cursor, last_poll_at, last_success_at, last_error)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
       ON CONFLICT (source_id) DO UPDATE SET validators = excluded.validators, cursor = excluded.cursor,
         last_poll_at = excluded.last_poll_at, last_success_at = excluded.last_success_at, last_error = excluded.last_error`,
      [
        last.map((s) => s.sourceId),
        last.map((s) => JSON.stringify(s.validators)),
        last.map((s) => (s.cursor === undefined ? null : JSON.stringify(s.cursor))),
        last.map((s) => s.lastPollAt ?? null),
        last.map((s) => s.lastSuccessAt ?? null),
        last.map((s) => s.lastError ?? null),
      ],
    );
  };

  return {
    upsertAdvisories: (advisories: readonly Advisory[], seenAt) =>
      run('upsertAdvisories', async () => {
        const at = iso(seenAt);
        return transaction((c) => upsertAdvisoriesTx(c, advisories, at));
      }),
    getAdvisory: (id) => run('getAdvisory', async () => (await query<AdvisoryRow>(`SELECT ${ADVISORY_COLUMNS} WHERE id = $1`, [id])).map(toStoredAdvisory)[0]),
    getAdvisories: (ids) =>
      run('getAdvisories', async () =>
        ids.length === 0 ? [] : (await query<AdvisoryRow>(`SELECT ${ADVISORY_COLUMNS} WHERE id = ANY($1::text[]) ORDER BY id`, [[...ids]])).map(toStoredAdvisory),
      ),
    listAdvisories: (q = {}) =>
      run('listAdvisories', async () =>
        (
          await query<AdvisoryRow>(
            `SELECT ${ADVISORY_COLUMNS} WHERE ($1::text IS NULL OR source_id = $1) ORDER BY updated_at DESC, id LIMIT $2`,
            [q.sourceId ?? null, q.limit ?? null],
          )
        ).map(toStoredAdvisory),
      ),
    ...pgCveIndex(pool, run),
    listRevisions: (id) =>
      run('listRevisions', async () =>
        (await query<{ json: string }>('SELECT json FROM advisory_revisions WHERE advisory_id = $1 ORDER BY revision', [id])).map(
          (r) => JSON.parse(r.json) as Advisory,
        ),
      ),

    getSourceState: (sourceId) =>
      run('getSourceState', async () => (await query<SourceStateRow>('SELECT * FROM source_state WHERE source_id = $1', [sourceId])).map(toSourceState)[0]),
    getSourceStates: (sourceIds) =>
      run('getSourceStates', async () => {
        const rows = sourceIds.length === 0 ? [] : await query<SourceStateRow>('SELECT * FROM source_state WHERE source_id = ANY($1::text[])', [[...sourceIds]]);
        return new Map(rows.map((r) => [r.source_id, toSourceState(r)]));
      }),
    saveSourceState: (s) => run('saveSourceState', () => saveSourceStatesSql([s])),
    saveSourceStates: (states) => run('saveSourceStates', () => saveSourceStatesSql(states)),

    putDocument: (d) =>
      run('putDocument', async () => {
        // Hash-addressed: the same sha256 is the same bytes, so the first write stands.
        await query(
          `INSERT INTO documents (sha256, source_id, url, content_type, body, fetched_at) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (sha256) DO NOTHING`,
          [d.sha256, d.sourceId, d.url, d.contentType ?? null, Buffer.from(d.body.buffer, d.body.byteOffset, d.body.byteLength), d.fetchedAt],
        );
      }),
    getDocument: (sha256) => run('getDocument', async () => (await query<DocumentRow>('SELECT * FROM documents WHERE sha256 = $1', [sha256])).map(toDocument)[0]),

    replaceMatches: (advisoryId, matches: readonly Match[]) =>
      run('replaceMatches', async () => {
        const stray = matches.find((m) => m.advisoryId !== advisoryId);
        if (stray) throw new StoreError(`replaceMatches: a match of ${stray.advisoryId} was given for ${advisoryId}`);
        // One row per (advisory, item): a duplicate in the input keeps the last match given.
        const rows = new Map(matches.map((m) => [`${m.item.collection}\u0000${m.item.name}`, m]));
        const list = [...rows.values()];
        await transaction(async (c) => {
          await c.query('DELETE FROM matches WHERE advisory_id = $1', [advisoryId]);
          if (list.length === 0) return;
          await c.query(
            `INSERT INTO matches (advisory_id, item_collection, item_name, json)
             SELECT $1, collection, name, json FROM unnest($2::text[], $3::text[], $4::text[]) AS m (collection, name, json)`,
            [advisoryId, list.map((m) => m.item.collection), list.map((m) => m.item.name), list.map((m) => JSON.stringify(m))],
          );
        });
      }),
    listAdvisoryIdsByApplyBy: (fromDay, toDay) =>
      run('listAdvisoryIdsByApplyBy', async () =>
        (
          await query<{ advisory_id: string }>(
            `SELECT DISTINCT advisory_id FROM matches WHERE left(json::json ->> 'applyBy', 10) BETWEEN $1 AND $2 ORDER BY advisory_id`,
            [fromDay, toDay],
          )
        ).map((r) => r.advisory_id),
      ),
    listMatches: (advisoryIds) =>
      run('listMatches', async () =>
        (
          await query<{ json: string }>(
            `SELECT json FROM matches WHERE ($1::text[] IS NULL OR advisory_id = ANY($1::text[])) ORDER BY advisory_id, item_collection, item_name`,
            [advisoryIds === undefined ? null : [...advisoryIds]],
          )
        ).map((r) => JSON.parse(r.json) as Match),
      ),

    createDelivery: (d) =>
      run('createDelivery', async () => {
        const payload = JSON.stringify(d.payload) ?? 'null';
        // The primary key decides, atomically, across every worker: exactly one INSERT wins.
        const { rowCount } = await pool.query(
          `INSERT INTO deliveries (key, subscription_id, advisory_id, revision, channel, payload, status, attempts, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, 'pending', 0, $7) ON CONFLICT (key) DO NOTHING`,
          [d.key, d.subscriptionId, d.advisoryId, d.revision, d.channel, payload, iso(d.createdAt)],
        );
        return rowCount === 1 ? 'created' : 'exists';
      }),
    listDueDeliveries: (now, limit) =>
      run('listDueDeliveries', async () =>
        (
          await query<DeliveryRow>(
            // A retry without a time is due at once; otherwise it would never be attempted again.
            `SELECT ${DELIVERY_COLUMNS} FROM deliveries WHERE ${DUE} ORDER BY created_at, key LIMIT $2`,
            [iso(now), limit ?? null],
          )
        ).map(toDelivery),
      ),
    claimDeliveries: ({ now, leaseMs, key, limit }) =>
      run('claimDeliveries', async () => {
        // One statement: SKIP LOCKED passes over rows another claim is taking right now, and a row
        // claimed and committed meanwhile is re-checked against DUE after its lock (READ COMMITTED).
        const rows = await query<DeliveryRow>(
          `UPDATE deliveries AS d SET claimed_until = $2
           FROM (SELECT key FROM deliveries WHERE ($3::text IS NULL OR key = $3) AND ${DUE}
                 ORDER BY created_at, key LIMIT $4 FOR UPDATE SKIP LOCKED) AS due
           WHERE d.key = due.key
           RETURNING ${DELIVERY_COLUMNS.split(', ').map((c) => `d.${c}`).join(', ')}`,
          [iso(now), iso(new Date(now.getTime() + leaseMs)), key ?? null, limit ?? null],
        );
        return rows.map(toDelivery).sort(oldestFirst);
      }),
    getDelivery: (key) =>
      run('getDelivery', async () => (await query<DeliveryRow>(`SELECT ${DELIVERY_COLUMNS} FROM deliveries WHERE key = $1`, [key])).map(toDelivery)[0]),
    saveDeliveryProgress: (key, progress) =>
      run('saveDeliveryProgress', async () => {
        const { rowCount } = await pool.query(`UPDATE deliveries SET progress = $2 WHERE key = $1`, [key, JSON.stringify(progress)]);
        if (rowCount === 0) throw new StoreError(`saveDeliveryProgress: no delivery with key ${key}`);
      }),
    updateDelivery: (key, u) =>
      run('updateDelivery', async () => {
        // Fields left out are cleared: an update states the whole attempt state, not a patch.
        const { rowCount } = await pool.query(
          `UPDATE deliveries SET status = $2, attempts = $3, next_attempt_at = $4, sent_at = $5, last_error = $6, claimed_until = NULL WHERE key = $1`,
          [key, u.status, u.attempts, u.nextAttemptAt === undefined ? null : iso(u.nextAttemptAt), u.sentAt === undefined ? null : iso(u.sentAt), u.lastError ?? null],
        );
        if (rowCount === 0) throw new StoreError(`updateDelivery: no delivery with key ${key}`);
      }),
    retryDelivery: (key, now) =>
      run('retryDelivery', async () => {
        // Only a failed delivery goes back: the WHERE makes check-and-set one atomic statement.
        const [row] = await query<DeliveryRow>(
          `UPDATE deliveries SET status = 'pending', next_attempt_at = $2, sent_at = NULL, claimed_until = NULL
           WHERE key = $1 AND status = 'failed' RETURNING ${DELIVERY_COLUMNS}`,
          [key, iso(now)],
        );
        if (row) return { outcome: 'retried' as const, delivery: toDelivery(row) };
        const [current] = await query<DeliveryRow>(`SELECT ${DELIVERY_COLUMNS} FROM deliveries WHERE key = $1`, [key]);
        return current ? { outcome: 'not-failed' as const, delivery: toDelivery(current) } : { outcome: 'missing' as const };
      }),
    listDeliveries: (q = {}) =>
      run('listDeliveries', async () =>
        (
          await query<DeliveryRow>(
            `SELECT ${DELIVERY_COLUMNS} FROM deliveries WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR subscription_id = $2)
               AND ($4::text[] IS NULL OR advisory_id = ANY($4::text[]))
             ORDER BY created_at, key LIMIT $3`,
            [q.status ?? null, q.subscriptionId ?? null, q.limit ?? null, q.advisoryIds === undefined ? null : [...q.advisoryIds]],
          )
        ).map(toDelivery),
      ),

    ...pgQuarantine(pool, run),
    ...pgSubscriptions(pool, run),
    ...pgInventory(pool, run, transaction),
    close: async () => {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
