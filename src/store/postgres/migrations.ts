// Schema migrations as code for PostgreSQL (DESIGN.md "Storage"): run on open, each recorded once.
import type { PoolClient } from 'pg';
import { StoreError } from '../../errors.js';
import { backfillSearchWordsTx } from './search-index.js';

/** One schema step; ids only ever grow, and a released migration is never edited (add a new one). */
export interface PgMigration {
  readonly id: number;
  readonly name: string;
  readonly sql: string;
  /** Data the SQL cannot make (words computed in TypeScript), run right after it in the same transaction. */
  readonly backfill?: (client: PoolClient) => Promise<void>;
}

/**
 * The PostgreSQL schema, oldest first: the same tables as the SQLite dialect. Dates are ISO 8601
 * text (text order is time order, and they round-trip exactly as the contract wants); key columns
 * use the "C" collation so ORDER BY gives the same byte order as SQLite, whatever the database's locale.
 */
export const PG_MIGRATIONS: readonly PgMigration[] = [
  {
    id: 1,
    name: 'initial schema',
    sql: `
      CREATE TABLE advisories (
        id            TEXT COLLATE "C" PRIMARY KEY,
        source_id     TEXT COLLATE "C",
        revision      INTEGER NOT NULL,
        material_hash TEXT NOT NULL,
        content_hash  TEXT NOT NULL,
        json          TEXT NOT NULL,
        first_seen    TEXT COLLATE "C" NOT NULL,
        updated_at    TEXT COLLATE "C" NOT NULL,
        published     TEXT NOT NULL,
        modified      TEXT NOT NULL
      );
      CREATE INDEX advisories_updated_at ON advisories (updated_at DESC, id);
      CREATE INDEX advisories_source_updated_at ON advisories (source_id, updated_at DESC, id);

      CREATE TABLE advisory_revisions (
        advisory_id TEXT COLLATE "C" NOT NULL REFERENCES advisories (id),
        revision    INTEGER NOT NULL,
        json        TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        PRIMARY KEY (advisory_id, revision)
      );

      CREATE TABLE source_state (
        source_id       TEXT COLLATE "C" PRIMARY KEY,
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
        body         BYTEA NOT NULL,
        fetched_at   TEXT NOT NULL
      );

      CREATE TABLE matches (
        advisory_id     TEXT COLLATE "C" NOT NULL,
        item_collection TEXT COLLATE "C" NOT NULL,
        item_name       TEXT COLLATE "C" NOT NULL,
        json            TEXT NOT NULL,
        PRIMARY KEY (advisory_id, item_collection, item_name)
      );

      -- The primary key is what makes "send nothing twice" hold across workers, retries and crashes.
      CREATE TABLE deliveries (
        key             TEXT COLLATE "C" PRIMARY KEY,
        subscription_id TEXT COLLATE "C" NOT NULL,
        advisory_id     TEXT COLLATE "C" NOT NULL,
        revision        INTEGER NOT NULL,
        channel         TEXT NOT NULL,
        payload         TEXT NOT NULL,
        status          TEXT NOT NULL CHECK (status IN ('pending', 'retry', 'sent', 'failed')),
        attempts        INTEGER NOT NULL DEFAULT 0,
        created_at      TEXT COLLATE "C" NOT NULL,
        next_attempt_at TEXT COLLATE "C",
        sent_at         TEXT,
        last_error      TEXT
      );
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
        source_id      TEXT COLLATE "C" NOT NULL,
        url            TEXT COLLATE "C" NOT NULL,
        sha256         TEXT NOT NULL,
        status         TEXT NOT NULL,
        reason         TEXT NOT NULL,
        checks         TEXT NOT NULL,
        quarantined_at TEXT COLLATE "C" NOT NULL,
        PRIMARY KEY (source_id, url, sha256)
      );
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
        collection  TEXT COLLATE "C" PRIMARY KEY,
        replaced_at TEXT NOT NULL
      );
      -- One row per item, keyed by name within its collection; json is the item in a fixed field order.
      CREATE TABLE inventory_items (
        collection TEXT COLLATE "C" NOT NULL REFERENCES inventory_collections (collection) ON DELETE CASCADE,
        name       TEXT COLLATE "C" NOT NULL,
        json       TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (collection, name)
      );
    `,
  },
  {
    id: 4,
    name: 'cve index',
    sql: `
      -- Which advisories name which CVE: the same issue seen from several sources is merged into one
      -- logical item (src/merge/), and its alerts are not repeated per source.
      CREATE TABLE advisory_cves (
        cve         TEXT COLLATE "C" NOT NULL,
        advisory_id TEXT COLLATE "C" NOT NULL REFERENCES advisories (id),
        PRIMARY KEY (cve, advisory_id)
      );
      CREATE INDEX advisory_cves_advisory ON advisory_cves (advisory_id);
      -- Advisories stored before this migration.
      INSERT INTO advisory_cves (cve, advisory_id)
        SELECT DISTINCT upper(c), a.id FROM advisories AS a,
          jsonb_array_elements_text(CASE WHEN jsonb_typeof(a.json::jsonb -> 'cves') = 'array' THEN a.json::jsonb -> 'cves' ELSE '[]'::jsonb END) AS c
        ON CONFLICT DO NOTHING;
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
      ALTER TABLE deliveries ADD COLUMN claimed_until TEXT COLLATE "C";
    `,
  },
  {
    id: 6,
    name: 'subscriptions and acknowledgements',
    sql: `
      -- Subscriptions made through the API or by email double opt-in (config ones stay in config).
      -- settings: the filters (and later fields) as one JSON document.
      CREATE TABLE subscriptions (
        id         TEXT COLLATE "C" PRIMARY KEY,
        channel    TEXT NOT NULL CHECK (channel IN ('email', 'webhook', 'slack')),
        target     TEXT NOT NULL,
        settings   TEXT NOT NULL,
        status     TEXT NOT NULL CHECK (status IN ('pending', 'active', 'unsubscribed')),
        created_at TEXT COLLATE "C" NOT NULL,
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
        advisory_id     TEXT COLLATE "C" NOT NULL,
        item_collection TEXT COLLATE "C" NOT NULL,
        item_name       TEXT COLLATE "C" NOT NULL,
        status          TEXT NOT NULL CHECK (status IN ('applied', 'not-applicable')),
        note            TEXT,
        acknowledged_at TEXT NOT NULL,
        PRIMARY KEY (advisory_id, item_collection, item_name)
      );
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
      -- aliases and products (src/store/search-words.ts, so both dialects find the same). A search
      -- for n words reads n ranges of the primary key; the backfill indexes the advisories stored
      -- before this migration.
      CREATE TABLE advisory_words (
        word        TEXT COLLATE "C" NOT NULL,
        advisory_id TEXT COLLATE "C" NOT NULL REFERENCES advisories (id) ON DELETE CASCADE,
        PRIMARY KEY (word, advisory_id)
      );
      CREATE INDEX advisory_words_advisory ON advisory_words (advisory_id);
      -- queryAdvisories' published-date range, compared in byte order like every ISO date here.
      CREATE INDEX advisories_published ON advisories ((published COLLATE "C"));
    `,
    backfill: backfillSearchWordsTx,
  },
];

/**
 * Apply every migration not yet recorded, in one transaction under an advisory lock per schema,
 * so several workers starting at once apply each step exactly once. Creates `schema` if given.
 * Returns the ids applied now.
 */
export async function applyPgMigrations(client: PoolClient, schema: string | undefined, migrations: readonly PgMigration[] = PG_MIGRATIONS): Promise<number[]> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`secwatch-migrate:${schema ?? ''}`]);
    if (schema !== undefined) await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`);
    const { rows } = await client.query<{ id: number }>('SELECT id FROM schema_migrations');
    const done = new Set(rows.map((r) => r.id));
    const newest = Math.max(0, ...migrations.map((m) => m.id));
    const unknown = [...done].filter((id) => id > newest);
    if (unknown.length > 0) {
      // A newer secwatch has written this database; running old code on it could corrupt it.
      throw new StoreError(`database schema has migration ${Math.max(...unknown)}, newer than this secwatch knows (${newest})`);
    }
    const applied: number[] = [];
    for (const m of [...migrations].sort((a, b) => a.id - b.id)) {
      if (done.has(m.id)) continue;
      await client.query(m.sql);
      await m.backfill?.(client);
      await client.query('INSERT INTO schema_migrations (id, name) VALUES ($1, $2)', [m.id, m.name]);
      applied.push(m.id);
    }
    await client.query('COMMIT');
    return applied;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

/** A PostgreSQL identifier, quoted: schema names come from a URL. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
