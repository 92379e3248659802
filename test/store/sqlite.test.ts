import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, StoreError } from '../../src/errors.js';
import { deliveryKey, openStore } from '../../src/store/index.js';
import { MIGRATIONS, applyMigrations } from '../../src/store/sqlite/migrations.js';
import type { Migration } from '../../src/store/sqlite/migrations.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { makeAdvisory } from '../helpers/advisory-factory.js';
import { describeStoreContract } from './store.contract.js';
import { describeSubscriptionContract } from './subscriptions.contract.js';
import { describeInventoryContract } from './inventory.contract.js';
import { describeAdvisorySearchContract } from './advisory-search.contract.js';

const dir = mkdtempSync(join(tmpdir(), 'secwatch-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
/** A path whose parent folder does not exist yet: opening must create it. */
const freshPath = (): string => join(dir, `db-${++files}`, 'nested', 'secwatch.db');
const T1 = new Date('2024-07-01T12:00:00.000Z');

describeStoreContract('sqlite :memory:', () => openStore('sqlite::memory:'));
describeStoreContract('sqlite file', () => openStore(`sqlite:${freshPath()}`));
describeSubscriptionContract('sqlite :memory:', () => openStore('sqlite::memory:'));
describeInventoryContract('sqlite :memory:', () => openStore('sqlite::memory:'));
describeAdvisorySearchContract('sqlite file', {
  freshUrl: () => `sqlite:${freshPath()}`,
  exec: (url, sql) => {
    const db = new Database(url.slice('sqlite:'.length));
    try {
      db.exec(sql);
    } finally {
      db.close();
    }
    return Promise.resolve();
  },
});

function readMigrations(path: string): unknown[] {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare('SELECT id, name, applied_at FROM schema_migrations ORDER BY id').all();
  } finally {
    db.close();
  }
}

describe('sqlite file store', () => {
  it('keeps everything across close and reopen', async () => {
    const path = freshPath();
    const a = makeAdvisory({ id: 'A' });
    const delivery = { key: deliveryKey('ops', 'A', 1), subscriptionId: 'ops', advisoryId: 'A', revision: 1, channel: 'email', payload: { s: 1 }, createdAt: T1 };
    const body = Uint8Array.from([0, 1, 2, 254, 255]);
    const first = openSqliteStore(path);
    await first.upsertAdvisories([a], T1);
    await first.saveSourceState({ sourceId: 'feed', validators: { etag: '"e"' }, cursor: { page: 2 } });
    await first.putDocument({ sha256: 'f'.repeat(64), sourceId: 'feed', url: 'https://vendor.example/x', body, fetchedAt: T1.toISOString() });
    await first.createDelivery(delivery);
    await first.close();

    const second = openSqliteStore(path);
    try {
      expect((await second.getAdvisory('A'))?.advisory).toEqual({ ...a, revision: 1 });
      expect((await second.upsertAdvisories([a], T1))[0]?.status).toBe('unchanged');
      expect(await second.getSourceState('feed')).toEqual({ sourceId: 'feed', validators: { etag: '"e"' }, cursor: { page: 2 } });
      expect((await second.getDocument('f'.repeat(64)))?.body).toEqual(body);
      expect(await second.createDelivery(delivery)).toBe('exists');
    } finally {
      await second.close();
    }
  });

  it('applies migrations once: reopening runs nothing twice', async () => {
    const path = freshPath();
    await openSqliteStore(path).close();
    const recorded = readMigrations(path);
    expect(recorded).toHaveLength(MIGRATIONS.length);
    await openSqliteStore(path).close();
    expect(readMigrations(path)).toEqual(recorded);

    const db = new Database(path);
    try {
      expect(applyMigrations(db)).toEqual([]);
    } finally {
      db.close();
    }
  });

  it('applies only the migrations not yet recorded, in id order', () => {
    const db = new Database(':memory:');
    const step = (id: number): Migration => ({ id, name: `t${id}`, sql: `CREATE TABLE t${id} (x)` });
    try {
      expect(applyMigrations(db, [step(2), step(1)])).toEqual([1, 2]);
      expect(applyMigrations(db, [step(1), step(2), step(3)])).toEqual([3]);
      expect(applyMigrations(db, [step(1), step(2), step(3)])).toEqual([]);
    } finally {
      db.close();
    }
  });

  it('keeps migration ids unique and rising', () => {
    const ids = MIGRATIONS.map((m) => m.id);
    expect(ids).toEqual([...new Set(ids)].sort((x, y) => x - y));
  });

  it('refuses a database written by a newer secwatch', async () => {
    const path = freshPath();
    await openSqliteStore(path).close();
    const db = new Database(path);
    db.prepare(`INSERT INTO schema_migrations (id, name, applied_at) VALUES (9999, 'future', '2099-01-01T00:00:00Z')`).run();
    db.close();
    expect(() => openSqliteStore(path)).toThrow(/newer/);
  });

  it('uses WAL and lets the database itself enforce the delivery key', async () => {
    const path = freshPath();
    await openSqliteStore(path).close();
    const db = new Database(path);
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      const insert = db.prepare(
        `INSERT INTO deliveries (key, subscription_id, advisory_id, revision, channel, payload, status, created_at)
         VALUES ('k', 's', 'a', 1, 'email', '{}', 'pending', '2024-07-01T00:00:00.000Z')`,
      );
      insert.run();
      expect(() => insert.run()).toThrow(/UNIQUE/);
    } finally {
      db.close();
    }
  });

  it('uses the indexes for listing advisories and finding due deliveries', async () => {
    const path = freshPath();
    await openSqliteStore(path).close();
    const db = new Database(path);
    const plan = (sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join('\n');
    try {
      expect(plan('SELECT json FROM advisories ORDER BY updated_at DESC, id LIMIT 10')).toMatch(/advisories_updated_at/);
      expect(plan(`SELECT key FROM deliveries WHERE status = 'retry' AND next_attempt_at <= '2024'`)).toMatch(/deliveries_due/);
    } finally {
      db.close();
    }
  });

  it('reports a path it cannot open as a StoreError naming the path', () => {
    expect(() => openSqliteStore(dir)).toThrow(StoreError);
    expect(() => openSqliteStore(dir)).toThrow(dir);
  });
});

describe('openStore', () => {
  it('rejects other schemes with a ConfigError on store.url, without echoing the URL', async () => {
    const result = openStore('mysql://secwatch:s3cret@db.internal/secwatch');
    await expect(result).rejects.toBeInstanceOf(ConfigError);
    await expect(result).rejects.toMatchObject({ path: 'store.url', message: expect.stringMatching(/"mysql:".*sqlite:<path>/) as unknown });
    await expect(result).rejects.not.toThrow(/s3cret/);
  });

  it('rejects a URL without a scheme or an sqlite: URL without a path', async () => {
    await expect(openStore('/var/lib/secwatch.db')).rejects.toThrow(/no scheme/);
    await expect(openStore('sqlite:')).rejects.toBeInstanceOf(ConfigError);
  });
});
