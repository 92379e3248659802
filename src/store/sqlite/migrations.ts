// Schema migrations as code (DESIGN.md "Storage"): run on open, each recorded once.
import type { Database } from 'better-sqlite3';
import { StoreError } from '../../errors.js';
import { backfillSearchWords } from './search-index.js';

/** One schema step; ids only ever grow, and a released migration is never edited (add a new one). */
export interface Migration {
  readonly id: number;
  readonly name: string;
  readonly sql: string;
  /** Data the SQL cannot make (words computed in TypeScript), run right after it in the same transaction. */
  readonly backfill?: (db: Database) => void;
}

/** The SQLite schema, oldest first. Dates are ISO 8601 text, so text order is time order. */
export const MIGRATIONS: readonly Migration[] = [
  {
    id: 1,
    name: 'initial schema',
    sql: `
      CREATE TABLE advisories (
        id            TEXT PRIMARY KEY,
        source_id     TEXT,
        revision      INTEGER NOT NULL,
        material_hash TEXT NOT NULL,
        content_hash  TEXT NOT NULL,
        json          TEXT NOT NULL,
        first_seen    TEXT NOT NULL,
        updated_at    TEXT NOT NULL,
        published     TEXT NOT NULL,
        modified      TEXT NOT NULL
      );
      -- listAdvisories: newest change first, optionally per source.
      CREATE INDEX advisories_updated_at ON advisories (updated_at DESC, id);
      CREATE INDEX advisories_source_updated_at ON advisories (source_id, updated_at DESC, id);

      CREATE TABLE advisory_revisions (
        advisory_id TEXT NOT NULL REFERENCES advisories (id),
        revision    INTEGER NOT NULL,
        json        TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        PRIMARY KEY (advisory_id, revision)
      ) WITHOUT ROWID;

      CREATE TABLE source_state (
        source_id       TEXT PRIMARY KEY,
        validators      TEXT NOT NULL,
        cursor          TEXT,
        last_poll_at    TEXT,
        last_success_at TEXT,
        last_error      TEXT
      );

      CREATE TABLE documents (
        sha256       TEXT PRIMARY KEY,
        source_id    TEXT NOT NULL,
        url          TEXT NOT NULL,
        content_type TEXT,
        body         BLOB NOT NULL,
        fetched_at   TEXT NOT NULL
      );

      CREATE TABLE matches (
        advisory_id     TEXT NOT NULL,
        item_collection TEXT NOT NULL,
        item_name       TEXT NOT NULL,
        json            TEXT NOT NULL,
        PRIMARY KEY (advisory_id, item_collection, item_name)
      ) WITHOUT ROWID;

      -- The primary key is what makes "send nothing twice" hold across cycles and crashes.
      CREATE TABLE deliveries (
        key             TEXT PRIMARY KEY NOT NULL,
        subscription_id TEXT NOT NULL,
        advisory_id     TEXT NOT NULL,
        revision        INTEGER NOT NULL,
        channel         TEXT NOT NULL,
        payload         TEXT NOT NULL,
        status          TEXT NOT NULL CHECK (status IN ('pending', 'retry', 'sent', 'failed')),
        attempts        INTEGER NOT NULL DEFAULT 0,
        created_at      TEXT NOT NULL,
        next_attempt_at TEXT,
        sent_at         TEXT,
        last_error      TEXT
      );
      -- listDueDeliveries: pending, or retry whose next attempt has come.
      CREATE INDEX deliveries_due ON deliveries (status, next_attempt_at);
      CREATE INDEX deliveries_subscription ON deliveries (subscription_id, created_at);
      CREATE INDEX deliveries_created_at ON deliveries (created_at, key);
    `,
  },
  {
    id: 2,
    name: 'quarantine',
    sql: `
      -- Documents that failed their source's verify policy: kept and listed, never alerted.
      CREATE TABLE quarantine (
        source_id      TEXT NOT NULL,
        url            TEXT NOT NULL,
        sha256         TEXT NOT NULL,
        status         TEXT NOT NULL,
        reason         TEXT NOT NULL,
        checks         TEXT NOT NULL,
        quarantined_at TEXT NOT NULL,
        PRIMARY KEY (source_id, url, sha256)
      ) WITHOUT ROWID;
      CREATE INDEX quarantine_newest ON quarantine (quarantined_at DESC, source_id, url);
    `,
  },
  {
    id: 3,
    name: 'inventory',
    sql: `
      -- Inventory collections imported with "secwatch inventory import" (or the API). A collection is
      -- recorded even when empty: a stored collection replaces the config file's one of the same name.
      CREATE TABLE inventory_collections (
        collection  TEXT PRIMARY KEY,
        replaced_at TEXT NOT NULL
      );
      -- One row per item, keyed by name within its collection; json is the item in a fixed field order.
      CREATE TABLE inventory_items (
        collection TEXT NOT NULL REFERENCES inventory_collections (collection) ON DELETE CASCADE,
        name       TEXT NOT NULL,
        json       TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (collection, name)
      ) WITHOUT ROWID;
    `,
  },
  {
    id: 4,
    name: 'cve index',
    sql: `
      -- Which advisories name which CVE: the same issue seen from several sources is merged into one
      -- logical item (src/merge/), and its alerts are not repeated per source.
      CREATE TABLE advisory_cves (
        cve         TEXT NOT NULL,
        advisory_id TEXT NOT NULL REFERENCES advisories (id),
        PRIMARY KEY (cve, advisory_id)
      ) WITHOUT ROWID;
      CREATE INDEX advisory_cves_advisory ON advisory_cves (advisory_id);
      -- Advisories stored before this migration.
      INSERT OR IGNORE INTO advisory_cves (cve, advisory_id)
        SELECT upper(c.value), a.id FROM advisories AS a, json_each(a.json, '$.cves') AS c WHERE c.type = 'text';
      -- A merged alert looks up the earlier deliveries of an advisory's siblings.
      CREATE INDEX deliveries_advisory ON deliveries (advisory_id, subscription_id);
    `,
  },
  {
    id: 5,
    name: 'delivery claims',
    sql: `
      -- A worker claims a due delivery until claimed_until before sending it (one UPDATE, so two
      -- workers never both get it); a claim left by a dead worker expires and it is due again.
      ALTER TABLE deliveries ADD COLUMN claimed_until TEXT;
    `,
  },
  {
    id: 6,
    name: 'subscriptions and acknowledgements',
    sql: `
      -- Subscriptions made through the API or by email double opt-in (config ones stay in config).
      -- settings: the filters (and later fields) as one JSON document.
      CREATE TABLE subscriptions (
        id         TEXT PRIMARY KEY,
        channel    TEXT NOT NULL CHECK (channel IN ('email', 'webhook', 'slack')),
        target     TEXT NOT NULL,
        settings   TEXT NOT NULL,
        status     TEXT NOT NULL CHECK (status IN ('pending', 'active', 'unsubscribed')),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX subscriptions_status ON subscriptions (status, created_at, id);
      -- Only the SHA-256 of a token is kept: a leaked database gives no working feed or unsubscribe link.
      CREATE TABLE subscription_tokens (
        token_hash      TEXT PRIMARY KEY,
        subscription_id TEXT NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
        created_at      TEXT NOT NULL
      );
      CREATE INDEX subscription_tokens_subscription ON subscription_tokens (subscription_id);
      -- "applied" / "not-applicable" per match (advisory + inventory item).
      CREATE TABLE acknowledgements (
        advisory_id     TEXT NOT NULL,
        item_collection TEXT NOT NULL,
        item_name       TEXT NOT NULL,
        status          TEXT NOT NULL CHECK (status IN ('applied', 'not-applicable')),
        note            TEXT,
        acknowledged_at TEXT NOT NULL,
        PRIMARY KEY (advisory_id, item_collection, item_name)
      ) WITHOUT ROWID;
    `,
  },
  {
    id: 7,
    name: 'delivery progress',
    sql: `
      -- How far a delivery got inside one attempt (JSON): the parts of a split Slack/Teams message a
      -- receiver accepted, and a digest's frozen member list, so a retry resends only what is missing.
      ALTER TABLE deliveries ADD COLUMN progress TEXT;
    `,
  },
  {
    id: 11,
    name: 'advisory search words',
    sql: `
      -- queryAdvisories' text search: one row per (word, advisory), the words of id, title, CVEs,
      -- aliases and products (src/store/search-words.ts). A search for n words reads n ranges of the
      -- primary key; the backfill indexes the advisories stored before this migration.
      CREATE TABLE advisory_words (
        word        TEXT NOT NULL,
        advisory_id TEXT NOT NULL REFERENCES advisories (id) ON DELETE CASCADE,
        PRIMARY KEY (word, advisory_id)
      ) WITHOUT ROWID;
      CREATE INDEX advisory_words_advisory ON advisory_words (advisory_id);
      -- queryAdvisories' published-date range.
      CREATE INDEX advisories_published ON advisories (published);
    `,
    backfill: backfillSearchWords,
  },
];

/**
 * Apply every migration the database has not recorded, in one IMMEDIATE transaction so two
 * processes opening the same file cannot both apply one. Returns the ids applied now.
 */
export function applyMigrations(db: Database, migrations: readonly Migration[] = MIGRATIONS): number[] {
  const run = db.transaction((): number[] => {
    db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
    const done = new Set(
      db
        .prepare<[], { id: number }>('SELECT id FROM schema_migrations')
        .all()
        .map((r) => r.id),
    );
    const newest = Math.max(0, ...migrations.map((m) => m.id));
    const unknown = [...done].filter((id) => id > newest);
    if (unknown.length > 0) {
      // A newer secwatch has written this database; running old code on it could corrupt it.
      throw new StoreError(`database schema has migration ${Math.max(...unknown)}, newer than this secwatch knows (${newest})`);
    }
    // SQLite's clock, not ours: the timestamp is bookkeeping, and no Date.now() lives in store/.
    const record = db.prepare<[number, string]>(
      `INSERT INTO schema_migrations (id, name, applied_at) VALUES (?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`,
    );
    const applied: number[] = [];
    for (const m of [...migrations].sort((a, b) => a.id - b.id)) {
      if (done.has(m.id)) continue;
      db.exec(m.sql);
      m.backfill?.(db);
      record.run(m.id, m.name);
      applied.push(m.id);
    }
    return applied;
  });
  return run.immediate();
}
