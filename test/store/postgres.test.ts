import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, StoreError } from '../../src/errors.js';
import { deliveryKey, openStore } from '../../src/store/index.js';
import { PG_MIGRATIONS } from '../../src/store/postgres/migrations.js';
import { makeAdvisory } from '../helpers/advisory-factory.js';
import { pgQuery, pgSchemas } from '../helpers/postgres.js';
import { describeStoreContract } from './store.contract.js';
import { describeSubscriptionContract } from './subscriptions.contract.js';
import { describeInventoryContract } from './inventory.contract.js';
import { describeAdvisorySearchContract } from './advisory-search.contract.js';

const schemas = pgSchemas('store');
afterAll(() => schemas.dropAll());
const T1 = new Date('2024-07-01T12:00:00.000Z');

describeStoreContract('postgres', () => openStore(schemas.url()));
describeSubscriptionContract('postgres', () => openStore(schemas.url()));
describeInventoryContract('postgres', () => openStore(schemas.url()));
describeAdvisorySearchContract('postgres', {
  freshUrl: () => schemas.url(),
  exec: async (url, sql) => {
    await pgQuery(schemas.schemaOf(url), sql);
  },
});

describe('postgres store', () => {
  it('applies migrations once, even when several processes open the same schema at once', async () => {
    const url = schemas.url();
    const stores = await Promise.all([1, 2, 3, 4].map(() => openStore(url)));
    await Promise.all(stores.map((s) => s.close()));
    await (await openStore(url)).close();
    const rows = await pgQuery<{ id: number }>(schemas.schemaOf(url), 'SELECT id FROM schema_migrations ORDER BY id');
    expect(rows.map((r) => r.id)).toEqual(PG_MIGRATIONS.map((m) => m.id));
  });

  it('refuses a database written by a newer secwatch', async () => {
    const url = schemas.url();
    await (await openStore(url)).close();
    await pgQuery(schemas.schemaOf(url), `INSERT INTO schema_migrations (id, name) VALUES (9999, 'future')`);
    await expect(openStore(url)).rejects.toThrow(/newer/);
  });

  it('lets the database itself enforce the delivery key', async () => {
    const url = schemas.url();
    await (await openStore(url)).close();
    const insert = `INSERT INTO deliveries (key, subscription_id, advisory_id, revision, channel, payload, status, created_at)
                    VALUES ('k', 's', 'a', 1, 'email', '{}', 'pending', '2024-07-01T00:00:00.000Z')`;
    await pgQuery(schemas.schemaOf(url), insert);
    await expect(pgQuery(schemas.schemaOf(url), insert)).rejects.toThrow(/duplicate key/);
  });

  it('hands each due delivery to exactly one of many workers claiming at once (one UPDATE … SKIP LOCKED)', async () => {
    const url = schemas.url();
    const stores = await Promise.all([1, 2, 3, 4].map(() => openStore(url)));
    try {
      const keys: string[] = [];
      for (let i = 0; i < 60; i++) {
        const d = { key: deliveryKey('ops', `A${i}`, 1), subscriptionId: 'ops', advisoryId: `A${i}`, revision: 1, channel: 'email', payload: {}, createdAt: T1 };
        await stores[0]?.createDelivery(d);
        keys.push(d.key);
      }
      // Every store claims in small batches and by key, concurrently, until nothing is left.
      const claimed = await Promise.all(
        stores.map(async (s, n) => {
          const mine: string[] = [];
          for (;;) {
            const batch = n % 2 === 0 ? await s.claimDeliveries({ now: T1, leaseMs: 60_000, limit: 3 }) : await s.claimDeliveries({ now: T1, leaseMs: 60_000, key: keys[mine.length * 7 % keys.length] ?? '' }).then(async (b) => (b.length > 0 ? b : s.claimDeliveries({ now: T1, leaseMs: 60_000, limit: 2 })));
            if (batch.length === 0) return mine;
            mine.push(...batch.map((d) => d.key));
          }
        }),
      );
      const all = claimed.flat();
      expect(all.length).toBe(keys.length);
      expect(new Set(all).size).toBe(keys.length);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });

  it('creates a delivery exactly once when many workers race for the same key', async () => {
    const url = schemas.url();
    const stores = await Promise.all([1, 2, 3].map(() => openStore(url)));
    try {
      const d = { key: deliveryKey('ops', 'A', 1), subscriptionId: 'ops', advisoryId: 'A', revision: 1, channel: 'email', payload: {}, createdAt: T1 };
      const outcomes = await Promise.all(stores.flatMap((s) => [s.createDelivery(d), s.createDelivery(d)]));
      expect(outcomes.filter((o) => o === 'created')).toHaveLength(1);
      expect(await stores[0]?.listDeliveries()).toHaveLength(1);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });

  it('says "new" once when several workers ingest the same advisories at once', async () => {
    const url = schemas.url();
    const stores = await Promise.all([1, 2, 3].map(() => openStore(url)));
    try {
      const batch = Array.from({ length: 200 }, (_, i) => makeAdvisory({ id: `RACE-${i}` }));
      const results = await Promise.all(stores.map((s, i) => s.upsertAdvisories(i % 2 === 0 ? batch : [...batch].reverse(), T1)));
      const statuses = results.flat().map((o) => o.status);
      expect(statuses.filter((s) => s === 'new')).toHaveLength(200);
      expect(statuses.filter((s) => s === 'unchanged')).toHaveLength(400);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });

  it('keeps schemas apart: two stores on one database see only their own rows', async () => {
    const [a, b] = await Promise.all([openStore(schemas.url()), openStore(schemas.url())]);
    try {
      await a?.upsertAdvisories([makeAdvisory({ id: 'ONLY-A' })], T1);
      expect(await b?.getAdvisory('ONLY-A')).toBeUndefined();
      expect((await a?.getAdvisory('ONLY-A'))?.advisory.id).toBe('ONLY-A');
    } finally {
      await Promise.all([a?.close(), b?.close()]);
    }
  });

  it('rejects a schema name that is not a plain identifier, as a ConfigError', async () => {
    await expect(openStore('postgres://postgres@127.0.0.1:5432/test?schema=x;drop')).rejects.toBeInstanceOf(ConfigError);
  });

  it('reports an unreachable server as a StoreError without echoing the password', async () => {
    const result = openStore('postgresql://secwatch:s3cret@127.0.0.1:1/secwatch');
    await expect(result).rejects.toBeInstanceOf(StoreError);
    await expect(result).rejects.not.toThrow(/s3cret/);
  });
});

describe('secwatch run --once on PostgreSQL (SECWATCH_DATABASE_URL)', () => {
  it('runs the demo cycle into a postgres:// store, and a second run sends nothing twice', async () => {
    const root = fileURLToPath(new URL('../../', import.meta.url));
    const dir = mkdtempSync(join(tmpdir(), 'secwatch-pg-cli-'));
    try {
      cpSync(join(root, 'config'), join(dir, 'config'), { recursive: true });
      const file = join(dir, 'config', 'demo.yaml');
      writeFileSync(file, readFileSync(file, 'utf8').replace('dataDir: ../var/demo', `dataDir: ${join(dir, 'var')}`));
      const url = schemas.url();
      const run = () =>
        spawnSync(process.execPath, [join(root, 'bin/secwatch.js'), 'run', '--once', '--json', '--config', file], {
          env: { ...process.env, SECWATCH_DATABASE_URL: url },
          encoding: 'utf8',
        });
      const first = run();
      expect(first.stderr).toBe('');
      expect(first.status).toBe(0);
      const summary = JSON.parse(first.stdout) as { deliveries: { planned: number; sent: number } };
      expect(summary.deliveries.sent).toBeGreaterThan(0);
      expect(summary.deliveries.sent).toBe(summary.deliveries.planned);
      const rows = await pgQuery<{ n: string }>(schemas.schemaOf(url), `SELECT count(*) AS n FROM deliveries WHERE status = 'sent'`);
      expect(Number(rows[0]?.n)).toBe(summary.deliveries.sent);
      const second = JSON.parse(run().stdout) as { deliveries: { planned: number; sent: number } };
      expect(second.deliveries).toMatchObject({ planned: 0, sent: 0 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
