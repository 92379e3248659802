// SQLite adapter of the Store contract (src/store/store.ts), on better-sqlite3 v12 (synchronous).
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { StoreError, describeError } from '../../errors.js';
import type { Advisory } from '../../model/advisory.js';
import { contentHash, materialHash } from '../../model/fingerprint.js';
import type { Match } from '../../model/match.js';
import type { SourceState, Store, UpsertOutcome } from '../store.js';
import { classifyUpsert, oldestFirst, toDelivery, toDocument, toSourceState, toStoredAdvisory, type AdvisoryRow, type CurrentRow, type DeliveryRow, type DocumentRow, type SourceStateRow } from '../rows.js';
import { applyMigrations } from './migrations.js';
import { sqliteSearchIndex } from './search-index.js';
import { sqliteQuarantine } from './quarantine.js';
import { sqliteCveIndex } from './cve-index.js';
import { sqliteSubscriptions } from './subscriptions.js';
import { sqliteInventory } from './inventory.js';


/** SQLite treats a negative LIMIT as "no limit", so one statement serves both cases. */
const NO_LIMIT = -1;
const BUSY_TIMEOUT_MS = 5000;
const DELIVERY_COLUMNS =
  'key, subscription_id, advisory_id, revision, channel, payload, status, attempts, created_at, next_attempt_at, sent_at, last_error, claimed_until, progress';
/** Due: pending, or a retry whose time has come; and nobody holds a live claim on it. */
const DUE = `(status = 'pending' OR (status = 'retry' AND (next_attempt_at IS NULL OR next_attempt_at <= @now)))
  AND (claimed_until IS NULL OR claimed_until <= @now)`;

/** Open (creating and migrating if needed) the embedded store at `path`, or ':memory:' for tests. */
export function openSqliteStore(path: string): Store {
  const db = openDatabase(path);
  const q = prepare(db);
  const cveIndex = sqliteCveIndex(db, run);
  const searchIndex = sqliteSearchIndex(db);

  const upsert = db.transaction((advisories: readonly Advisory[], seenAt: string): UpsertOutcome[] =>
    // Sequential on purpose: the same id twice in one batch sees its own first write.
    advisories.map((input) => {
      const material = materialHash(input);
      const content = contentHash(input);
      const cur = q.currentAdvisory.get(input.id);
      const { status, revision, changes } = classifyUpsert(cur, input, material, content);
      const advisory: Advisory = { ...input, revision };
      if (status === 'unchanged') return { id: input.id, status, advisory };
      const json = JSON.stringify(advisory);
      const { id, published, modified } = advisory;
      q.putAdvisory.run({ id, sourceId: advisory.source.id ?? null, revision, material, content, json, seenAt, published, modified });
      // 'updated' rewrites the current revision's history row: history keeps one row per revision.
      q.putRevision.run({ id: advisory.id, revision, json, seenAt });
      cveIndex.index(advisory.id, advisory.cves);
      searchIndex.index(advisory);
      return { id: input.id, status, advisory, ...(changes ? { changes } : {}) };
    }),
  );

  const putSourceState = (s: SourceState): void => {
    // A saved state replaces the old one whole; a JSON null cursor is kept apart from "no cursor".
    const cursor = s.cursor === undefined ? null : JSON.stringify(s.cursor);
    q.putSourceState.run(s.sourceId, JSON.stringify(s.validators), cursor, s.lastPollAt ?? null, s.lastSuccessAt ?? null, s.lastError ?? null);
  };
  // One transaction: one commit (one WAL sync on a file) for a whole cycle's states.
  const putSourceStates = db.transaction((states: readonly SourceState[]): void => {
    for (const s of states) putSourceState(s);
  });

  const replaceMatches = db.transaction((advisoryId: string, matches: readonly Match[]): void => {
    q.deleteMatches.run(advisoryId);
    for (const m of matches) {
      if (m.advisoryId !== advisoryId) {
        throw new StoreError(`replaceMatches: a match of ${m.advisoryId} was given for ${advisoryId}`);
      }
      q.putMatch.run({ advisoryId, collection: m.item.collection, name: m.item.name, json: JSON.stringify(m) });
    }
  });

  return {
    upsertAdvisories: (advisories, seenAt) => run('upsertAdvisories', () => upsert(advisories, iso(seenAt))),
    getAdvisory: (id) => run('getAdvisory', () => ifFound(q.getAdvisory.get(id), toStoredAdvisory)),
    // json_each binds any number of ids as one parameter, as listMatches does.
    getAdvisories: (ids) => run('getAdvisories', () => (ids.length === 0 ? [] : q.getAdvisories.all(JSON.stringify(ids)).map(toStoredAdvisory))),
    listAdvisories: (query = {}) =>
      run('listAdvisories', () => {
        const limit = query.limit ?? NO_LIMIT;
        const rows =
          query.sourceId === undefined ? q.listAdvisories.all({ limit }) : q.listAdvisoriesBySource.all({ limit, sourceId: query.sourceId });
        return rows.map(toStoredAdvisory);
      }),
    listAdvisoriesByCves: cveIndex.listAdvisoriesByCves,
    listRevisions: (id) => run('listRevisions', () => q.listRevisions.all(id).map((r) => JSON.parse(r.json) as Advisory)),

    getSourceState: (sourceId) => run('getSourceState', () => ifFound(q.getSourceState.get(sourceId), toSourceState)),
    getSourceStates: (sourceIds) =>
      run('getSourceStates', () => {
        // json_each binds any number of ids as one parameter, as listMatches does.
        const rows = sourceIds.length === 0 ? [] : q.getSourceStates.all(JSON.stringify(sourceIds));
        return new Map(rows.map((r) => [r.source_id, toSourceState(r)]));
      }),
    saveSourceState: (s) => run('saveSourceState', () => putSourceState(s)),
    saveSourceStates: (states) => run('saveSourceStates', () => putSourceStates(states)),

    putDocument: (d) =>
      run('putDocument', () => {
        // Hash-addressed: the same sha256 is the same bytes, so the first write stands.
        q.putDocument.run({ ...d, contentType: d.contentType ?? null });
      }),
    getDocument: (sha256) => run('getDocument', () => ifFound(q.getDocument.get(sha256), toDocument)),

    replaceMatches: (advisoryId, matches) => run('replaceMatches', () => replaceMatches(advisoryId, matches)),
    listAdvisoryIdsByApplyBy: (fromDay, toDay) =>
      run('listAdvisoryIdsByApplyBy', () => q.listAdvisoryIdsByApplyBy.all({ fromDay, toDay }).map((r) => r.advisory_id)),
    listMatches: (advisoryIds) =>
      run('listMatches', () => {
        // json_each binds any number of ids as one parameter (no SQLITE_MAX_VARIABLE_NUMBER limit).
        const rows = advisoryIds === undefined ? q.listAllMatches.all() : q.listMatches.all(JSON.stringify(advisoryIds));
        return rows.map((r) => JSON.parse(r.json) as Match);
      }),

    createDelivery: (d) =>
      run('createDelivery', () => {
        const payload = JSON.stringify(d.payload) ?? 'null';
        const { changes } = q.createDelivery.run({ ...d, payload, createdAt: iso(d.createdAt) });
        return changes === 1 ? 'created' : 'exists';
      }),
    listDueDeliveries: (now, limit) =>
      run('listDueDeliveries', () => q.listDue.all({ now: iso(now), limit: limit ?? NO_LIMIT }).map(toDelivery)),
    claimDeliveries: ({ now, leaseMs, key, limit }) =>
      run('claimDeliveries', () =>
        // One key: its own statement, found by primary key. In the shared one, `@key IS NULL OR …`
        // makes SQLite scan and sort every due delivery for each claim (bench/email.ts).
        (key === undefined ? q.claimDeliveries : q.claimDelivery)
          .all({ now: iso(now), until: iso(new Date(now.getTime() + leaseMs)), key: key ?? null, limit: limit ?? NO_LIMIT })
          .map(toDelivery)
          // RETURNING gives no order; the contract says oldest first.
          .sort(oldestFirst),
      ),
    getDelivery: (key) => run('getDelivery', () => ifFound(q.getDelivery.get(key), toDelivery)),
    saveDeliveryProgress: (key, progress) =>
      run('saveDeliveryProgress', () => {
        const { changes } = q.saveDeliveryProgress.run({ key, progress: JSON.stringify(progress) });
        if (changes === 0) throw new StoreError(`saveDeliveryProgress: no delivery with key ${key}`);
      }),
    updateDelivery: (key, u) =>
      run('updateDelivery', () => {
        // Fields left out are cleared: an update states the whole attempt state, not a patch.
        const { status, attempts, lastError = null } = u;
        const nextAttemptAt = u.nextAttemptAt === undefined ? null : iso(u.nextAttemptAt);
        const sentAt = u.sentAt === undefined ? null : iso(u.sentAt);
        const { changes } = q.updateDelivery.run({ key, status, attempts, nextAttemptAt, sentAt, lastError });
        if (changes === 0) throw new StoreError(`updateDelivery: no delivery with key ${key}`);
      }),
    retryDelivery: (key, now) =>
      run('retryDelivery', () => {
        const row = q.retryDelivery.get({ key, now: iso(now) });
        if (row) return { outcome: 'retried' as const, delivery: toDelivery(row) };
        const current = q.getDelivery.get(key);
        return current ? { outcome: 'not-failed' as const, delivery: toDelivery(current) } : { outcome: 'missing' as const };
      }),
    listDeliveries: (query = {}) =>
      run('listDeliveries', () =>
        q.listDeliveries
          .all({
            status: query.status ?? null,
            subscriptionId: query.subscriptionId ?? null,
            advisoryIds: query.advisoryIds === undefined ? null : JSON.stringify(query.advisoryIds),
            limit: query.limit ?? NO_LIMIT,
          })
          .map(toDelivery),
      ),

    ...sqliteQuarantine(db, run),
    ...sqliteSubscriptions(db, run),
    ...sqliteInventory(db, run),
    close: () =>
      run('close', () => {
        if (db.open) db.close();
      }),
  };
}

function openDatabase(path: string): Database.Database {
  try {
    if (path !== ':memory:' && path !== '') mkdirSync(dirname(path), { recursive: true });
    const db = new Database(path);
    try {
      db.pragma('journal_mode = WAL'); // readers (feed, API) never block the poller's writes
      db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`); // a second process waits instead of failing at once
      db.pragma('foreign_keys = ON');
      applyMigrations(db);
      return db;
    } catch (err) {
      db.close();
      throw err;
    }
  } catch (err) {
    throw new StoreError(`open ${path}: ${describeError(err)}`, { cause: err });
  }
}

function prepare(db: Database.Database) {
  const advisoryCols = 'json, first_seen, updated_at FROM advisories';
  return {
    currentAdvisory: db.prepare<[string], CurrentRow>('SELECT revision, material_hash, content_hash, json FROM advisories WHERE id = ?'),
    putAdvisory: db.prepare<Record<string, unknown>>(
      `INSERT INTO advisories (id, source_id, revision, material_hash, content_hash, json, first_seen, updated_at, published, modified)
       VALUES (@id, @sourceId, @revision, @material, @content, @json, @seenAt, @seenAt, @published, @modified)
       ON CONFLICT (id) DO UPDATE SET source_id = excluded.source_id, revision = excluded.revision,
         material_hash = excluded.material_hash, content_hash = excluded.content_hash, json = excluded.json,
         updated_at = excluded.updated_at, published = excluded.published, modified = excluded.modified`,
    ),
    putRevision: db.prepare<Record<string, unknown>>(
      `INSERT INTO advisory_revisions (advisory_id, revision, json, recorded_at) VALUES (@id, @revision, @json, @seenAt)
       ON CONFLICT (advisory_id, revision) DO UPDATE SET json = excluded.json`,
    ),
    getAdvisory: db.prepare<[string], AdvisoryRow>(`SELECT ${advisoryCols} WHERE id = ?`),
    getAdvisories: db.prepare<[string], AdvisoryRow>(`SELECT ${advisoryCols} WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id`),
    listAdvisories: db.prepare<{ limit: number }, AdvisoryRow>(`SELECT ${advisoryCols} ORDER BY updated_at DESC, id LIMIT @limit`),
    listAdvisoriesBySource: db.prepare<{ limit: number; sourceId: string }, AdvisoryRow>(
      `SELECT ${advisoryCols} WHERE source_id = @sourceId ORDER BY updated_at DESC, id LIMIT @limit`,
    ),
    listRevisions: db.prepare<[string], { json: string }>('SELECT json FROM advisory_revisions WHERE advisory_id = ? ORDER BY revision'),
    getSourceState: db.prepare<[string], SourceStateRow>('SELECT * FROM source_state WHERE source_id = ?'),
    getSourceStates: db.prepare<[string], SourceStateRow>('SELECT * FROM source_state WHERE source_id IN (SELECT value FROM json_each(?))'),
    // Positional parameters: a cycle saves one row per source, and binding by name cost ~30 % more.
    putSourceState: db.prepare<[string, string, string | null, string | null, string | null, string | null]>(
      `INSERT INTO source_state (source_id, validators, cursor, last_poll_at, last_success_at, last_error)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (source_id) DO UPDATE SET validators = excluded.validators, cursor = excluded.cursor,
         last_poll_at = excluded.last_poll_at, last_success_at = excluded.last_success_at, last_error = excluded.last_error`,
    ),
    putDocument: db.prepare<Record<string, unknown>>(
      `INSERT INTO documents (sha256, source_id, url, content_type, body, fetched_at)
       VALUES (@sha256, @sourceId, @url, @contentType, @body, @fetchedAt) ON CONFLICT (sha256) DO NOTHING`,
    ),
    getDocument: db.prepare<[string], DocumentRow>('SELECT * FROM documents WHERE sha256 = ?'),
    deleteMatches: db.prepare<[string]>('DELETE FROM matches WHERE advisory_id = ?'),
    // One row per (advisory, item): a duplicate in the input keeps the last match given.
    putMatch: db.prepare<Record<string, unknown>>(
      `INSERT INTO matches (advisory_id, item_collection, item_name, json) VALUES (@advisoryId, @collection, @name, @json)
       ON CONFLICT (advisory_id, item_collection, item_name) DO UPDATE SET json = excluded.json`,
    ),
    listAllMatches: db.prepare<[], { json: string }>('SELECT json FROM matches ORDER BY advisory_id, item_collection, item_name'),
    listAdvisoryIdsByApplyBy: db.prepare<{ fromDay: string; toDay: string }, { advisory_id: string }>(
      `SELECT DISTINCT advisory_id FROM matches WHERE substr(json_extract(json, '$.applyBy'), 1, 10) BETWEEN @fromDay AND @toDay ORDER BY advisory_id`,
    ),
    listMatches: db.prepare<[string], { json: string }>(
      `SELECT json FROM matches WHERE advisory_id IN (SELECT value FROM json_each(?))
       ORDER BY advisory_id, item_collection, item_name`,
    ),
    createDelivery: db.prepare<Record<string, unknown>>(
      `INSERT INTO deliveries (key, subscription_id, advisory_id, revision, channel, payload, status, attempts, created_at)
       VALUES (@key, @subscriptionId, @advisoryId, @revision, @channel, @payload, 'pending', 0, @createdAt)
       ON CONFLICT (key) DO NOTHING`,
    ),
    // A retry without a time is due at once; otherwise it would never be attempted again.
    listDue: db.prepare<{ now: string; limit: number }, DeliveryRow>(
      `SELECT ${DELIVERY_COLUMNS} FROM deliveries WHERE ${DUE} ORDER BY created_at, key LIMIT @limit`,
    ),
    // One UPDATE: SQLite runs one writer at a time, so the check and the claim cannot interleave.
    claimDeliveries: db.prepare<{ now: string; until: string; key: string | null; limit: number }, DeliveryRow>(
      `UPDATE deliveries SET claimed_until = @until
       WHERE key IN (SELECT key FROM deliveries WHERE (@key IS NULL OR key = @key) AND ${DUE} ORDER BY created_at, key LIMIT @limit)
       RETURNING ${DELIVERY_COLUMNS}`,
    ),
    claimDelivery: db.prepare<{ now: string; until: string; key: string | null; limit: number }, DeliveryRow>(
      `UPDATE deliveries SET claimed_until = @until WHERE key = @key AND ${DUE} RETURNING ${DELIVERY_COLUMNS}`,
    ),
    getDelivery: db.prepare<[string], DeliveryRow>(`SELECT ${DELIVERY_COLUMNS} FROM deliveries WHERE key = ?`),
    saveDeliveryProgress: db.prepare<{ key: string; progress: string }>(`UPDATE deliveries SET progress = @progress WHERE key = @key`),
    updateDelivery: db.prepare<Record<string, unknown>>(
      `UPDATE deliveries SET status = @status, attempts = @attempts, next_attempt_at = @nextAttemptAt,
         sent_at = @sentAt, last_error = @lastError, claimed_until = NULL WHERE key = @key`,
    ),
    // Only a failed delivery goes back: the WHERE makes check-and-set one atomic statement.
    retryDelivery: db.prepare<{ key: string; now: string }, DeliveryRow>(
      `UPDATE deliveries SET status = 'pending', next_attempt_at = @now, sent_at = NULL, claimed_until = NULL
       WHERE key = @key AND status = 'failed' RETURNING ${DELIVERY_COLUMNS}`,
    ),
    listDeliveries: db.prepare<{ status: string | null; subscriptionId: string | null; advisoryIds: string | null; limit: number }, DeliveryRow>(
      `SELECT ${DELIVERY_COLUMNS} FROM deliveries
       WHERE (@status IS NULL OR status = @status) AND (@subscriptionId IS NULL OR subscription_id = @subscriptionId)
         AND (@advisoryIds IS NULL OR advisory_id IN (SELECT value FROM json_each(@advisoryIds)))
       ORDER BY created_at, key LIMIT @limit`,
    ),
  };
}

/** Run one store operation; anything it throws becomes a StoreError naming the operation. */
function run<T>(op: string, fn: () => T): Promise<T> {
  return new Promise((resolve) => {
    try {
      resolve(fn());
    } catch (err) {
      throw err instanceof StoreError ? err : new StoreError(`${op}: ${describeError(err)}`, { cause: err });
    }
  });
}

function ifFound<R, T>(row: R | undefined, map: (row: R) => T): T | undefined {
  return row === undefined ? undefined : map(row);
}

/** Stored dates are ISO 8601 UTC text; an invalid Date throws here rather than storing "Invalid Date". */
function iso(d: Date): string {
  return d.toISOString();
}




