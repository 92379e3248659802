// Throw-away PostgreSQL schemas on the machine's real server: one per store, dropped afterwards.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The test database (trust auth on 127.0.0.1, as on these machines and in CI). */
export const PG_TEST_URL = process.env.SECWATCH_TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';

/** Hands out store URLs, each on a fresh schema, and drops every one of them in `dropAll()`. */
export function pgSchemas(label: string): { url(): string; schemaOf(url: string): string; dropAll(): Promise<void> } {
  const made: string[] = [];
  return {
    url() {
      const schema = `t_${label}_${randomBytes(6).toString('hex')}`;
      made.push(schema);
      const u = new URL(PG_TEST_URL);
      u.searchParams.set('schema', schema);
      return u.toString();
    },
    schemaOf: (url) => new URL(url).searchParams.get('schema') ?? 'public',
    async dropAll() {
      const client = new pg.Client({ connectionString: PG_TEST_URL });
      await client.connect();
      try {
        for (const s of made.splice(0)) await client.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}

/** Run one SQL statement on the test database, in `schema`. */
export async function pgQuery<R extends object>(schema: string, sql: string, params: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: PG_TEST_URL, options: `-c search_path=${schema}` });
  await client.connect();
  try {
    return (await client.query<R>(sql, params)).rows;
  } finally {
    await client.end();
  }
}
