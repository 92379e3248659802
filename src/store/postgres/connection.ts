// A pg Pool from a `postgres://` URL, with our one extra query parameter, `schema`.
import pg from 'pg';
import { ConfigError, StoreError, describeError } from '../../errors.js';
import { applyPgMigrations } from './migrations.js';

/** What a store needs to know about its database: the pool and the schema its tables live in. */
export interface PgConnection {
  readonly pool: pg.Pool;
  readonly schema: string | undefined;
}

const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * Split our `schema` parameter off a PostgreSQL URL: every connection of the pool then sets
 * `search_path` to it, so several secwatch instances (or test runs) can share one database.
 * The error never echoes the URL, which may hold a password.
 */
export function parsePgUrl(url: string): { connectionString: string; schema: string | undefined } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError('store.url', 'store.url: not a valid postgres:// URL');
  }
  const schema = parsed.searchParams.get('schema') ?? undefined;
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new ConfigError('store.url', 'store.url: schema must be letters, digits and "_" (at most 63), not starting with a digit');
  }
  parsed.searchParams.delete('schema');
  return { connectionString: parsed.toString(), schema };
}

/** Open a pool, check the server answers and migrate the schema; a failure closes the pool again. */
export async function connectPg(url: string, options: { max?: number } = {}): Promise<PgConnection> {
  const { connectionString, schema } = parsePgUrl(url);
  const pool = new pg.Pool({
    connectionString,
    max: options.max ?? 10,
    application_name: 'secwatch',
    connectionTimeoutMillis: 10_000,
    ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
  });
  // An idle client losing its server (a PostgreSQL restart) must not crash the process: the pool
  // drops it and the next query connects afresh.
  pool.on('error', () => undefined);
  try {
    const client = await pool.connect();
    const ignore = (): void => undefined;
    client.on('error', ignore);
    try {
      await applyPgMigrations(client, schema);
    } finally {
      client.off('error', ignore);
      client.release();
    }
    return { pool, schema };
  } catch (err) {
    await pool.end().catch(() => undefined);
    // pg's messages name host and database at most, never the password.
    throw err instanceof StoreError ? err : new StoreError(`open postgres: ${describeError(err)}`, { cause: err });
  }
}
