// The subscription, acknowledgement and advisory-query part of the Store contract for SQLite (migration 6).
import type { Database } from 'better-sqlite3';
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

type Run = <T>(op: string, fn: () => T) => Promise<T>;
const json = (v: readonly string[] | undefined): string | null => (v === undefined ? null : JSON.stringify(v));

/** The SubscriptionStore methods over an open database; `run` wraps errors as the store does. */
export function sqliteSubscriptions(db: Database, run: Run): SubscriptionStore {
  const q = {
    insert: db.prepare<Record<string, unknown>>(
      `INSERT INTO subscriptions (id, channel, target, settings, status, created_at, updated_at)
       VALUES (@id, @channel, @target, @settings, @status, @createdAt, @updatedAt)`,
    ),
    insertToken: db.prepare<[string, string, string]>('INSERT INTO subscription_tokens (token_hash, subscription_id, created_at) VALUES (?, ?, ?)'),
    get: db.prepare<[string], SubscriptionRow>('SELECT * FROM subscriptions WHERE id = ?'),
    byToken: db.prepare<[string], SubscriptionRow>(
      'SELECT s.* FROM subscriptions s JOIN subscription_tokens t ON t.subscription_id = s.id WHERE t.token_hash = ?',
    ),
    list: db.prepare<{ status: string | null; channel: string | null; limit: number }, SubscriptionRow>(
      `SELECT * FROM subscriptions WHERE (@status IS NULL OR status = @status) AND (@channel IS NULL OR channel = @channel)
       ORDER BY created_at, id LIMIT @limit`,
    ),
    update: db.prepare<Record<string, unknown>>('UPDATE subscriptions SET status = @status, target = @target, settings = @settings, updated_at = @at WHERE id = @id'),
    remove: db.prepare<[string]>('DELETE FROM subscriptions WHERE id = ?'),
    ack: db.prepare<Record<string, unknown>>(
      `INSERT INTO acknowledgements (advisory_id, item_collection, item_name, status, note, acknowledged_at)
       VALUES (@advisoryId, @itemCollection, @itemName, @status, @note, @at)
       ON CONFLICT (advisory_id, item_collection, item_name) DO UPDATE SET status = excluded.status, note = excluded.note,
         acknowledged_at = excluded.acknowledged_at`,
    ),
    unack: db.prepare<[string, string, string]>('DELETE FROM acknowledgements WHERE advisory_id = ? AND item_collection = ? AND item_name = ?'),
    acks: db.prepare<{ ids: string | null }, AckRow>(
      `SELECT * FROM acknowledgements WHERE (@ids IS NULL OR advisory_id IN (SELECT value FROM json_each(@ids)))
       ORDER BY advisory_id, item_collection, item_name`,
    ),
    query: db.prepare<Record<string, unknown>, AdvisoryRow>(
      `SELECT json, first_seen, updated_at FROM advisories a
       WHERE (@since IS NULL OR updated_at >= @since)
         AND (@severities IS NULL OR json_extract(json, '$.severity') IN (SELECT value FROM json_each(@severities)))
         AND (@sources IS NULL OR source_id IN (SELECT value FROM json_each(@sources)))
         AND (@kinds IS NULL OR json_extract(json, '$.kind') IN (SELECT value FROM json_each(@kinds)))
         AND (@cve IS NULL OR EXISTS (SELECT 1 FROM json_each(a.json, '$.cves') c WHERE upper(c.value) = @cve))
         AND (@matched IS NULL OR @matched = EXISTS (SELECT 1 FROM matches m WHERE m.advisory_id = a.id))
         AND (@words IS NULL OR a.id IN (
               SELECT w.advisory_id FROM advisory_words w WHERE w.word IN (SELECT value FROM json_each(@words))
               GROUP BY w.advisory_id HAVING count(*) = json_array_length(@words)))
         AND (@publishedFrom IS NULL OR published >= @publishedFrom)
         AND (@publishedBefore IS NULL OR published < @publishedBefore)
         AND (@afterUpdated IS NULL OR updated_at < @afterUpdated OR (updated_at = @afterUpdated AND id > @afterId))
       ORDER BY updated_at DESC, id LIMIT @limit`,
    ),
  };

  const create = db.transaction((row: Record<string, unknown>, tokenHash: string, at: string) => {
    q.insert.run(row);
    q.insertToken.run(tokenHash, row.id as string, at);
  });

  return {
    createSubscription: (s, tokenHash) =>
      run('createSubscription', () =>
        create({ ...s, settings: JSON.stringify(s.settings) }, tokenHash, s.createdAt),
      ),
    getSubscription: (id) => run('getSubscription', () => map(q.get.get(id))),
    findSubscriptionByToken: (hash) => run('findSubscriptionByToken', () => map(q.byToken.get(hash))),
    addSubscriptionToken: (id, hash, at) =>
      run('addSubscriptionToken', () => {
        if (!q.get.get(id)) throw new StoreError(`addSubscriptionToken: no subscription ${id}`);
        q.insertToken.run(hash, id, at.toISOString());
      }),
    listSubscriptions: (query = {}) =>
      run('listSubscriptions', () => q.list.all({ status: query.status ?? null, channel: query.channel ?? null, limit: query.limit ?? -1 }).map(toSubscription)),
    updateSubscription: (id, u, at) =>
      run('updateSubscription', () => {
        const cur = map(q.get.get(id));
        if (!cur) return undefined;
        q.update.run({ id, status: u.status ?? cur.status, target: u.target ?? cur.target, settings: JSON.stringify(u.settings ?? cur.settings), at: at.toISOString() });
        return map(q.get.get(id));
      }),
    // Tokens go with it (ON DELETE CASCADE; foreign keys are on for every connection).
    deleteSubscription: (id) => run('deleteSubscription', () => q.remove.run(id).changes === 1),

    acknowledge: (a) =>
      run('acknowledge', () => {
        const at = a.acknowledgedAt.toISOString();
        q.ack.run({ ...a, note: a.note ?? null, at });
        return toAcknowledgement({ advisory_id: a.advisoryId, item_collection: a.itemCollection, item_name: a.itemName, status: a.status, note: a.note ?? null, acknowledged_at: at });
      }),
    removeAcknowledgement: (advisoryId, collection, name) => run('removeAcknowledgement', () => q.unack.run(advisoryId, collection, name).changes === 1),
    listAcknowledgements: (ids) => run('listAcknowledgements', () => q.acks.all({ ids: json(ids) }).map(toAcknowledgement)),

    queryAdvisories: (query) =>
      run('queryAdvisories', () => {
        const after = query.cursor === undefined ? undefined : decodeAdvisoryCursor(query.cursor);
        if (query.cursor !== undefined && !after) throw new StoreError('queryAdvisories: not a cursor this store made');
        const published = checkedPublishedBounds(query);
        const rows = q.query.all({
          since: query.since ?? null,
          severities: json(query.severities),
          sources: json(query.sourceIds),
          kinds: json(query.kinds),
          cve: query.cve?.toUpperCase() ?? null,
          matched: query.matched === undefined ? null : query.matched ? 1 : 0,
          words: json(searchFilterWords(query.text)),
          publishedFrom: published.from ?? null,
          publishedBefore: published.before ?? null,
          afterUpdated: after?.updatedAt ?? null,
          afterId: after?.id ?? null,
          limit: query.limit + 1,
        });
        return toAdvisoryPage(rows.map(toStoredAdvisory), query.limit);
      }),
  };
}

function map(row: SubscriptionRow | undefined) {
  return row === undefined ? undefined : toSubscription(row);
}
