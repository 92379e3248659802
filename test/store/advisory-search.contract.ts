// Store conformance for queryAdvisories' text search and published-date range (migration 11): run
// by sqlite.test.ts and postgres.test.ts alike, so both dialects find exactly the same advisories.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Advisory } from '../../src/model/advisory.js';
import { openStore, type Store } from '../../src/store/index.js';
import type { AdvisoryQuery } from '../../src/store/subscription-store.js';
import { makeAdvisory } from '../helpers/advisory-factory.js';

const at = (minute: number): Date => new Date(Date.UTC(2024, 6, 1, 12, minute));

/** Four advisories whose words overlap just enough to tell whole-word, AND and date semantics apart. */
const ADVISORIES: readonly Advisory[] = [
  makeAdvisory({
    id: 'RHSA-2024:1234',
    title: 'Important: openssl security update',
    cves: ['CVE-2024-1234'],
    aliases: [],
    products: [{ vendor: 'Red Hat', product: 'Red Hat Enterprise Linux 9' }],
    published: '2024-03-10T08:00:00.000Z',
  }),
  makeAdvisory({
    id: 'MS-2024-0002',
    title: 'Remote code execution in Exchange Server',
    cves: ['CVE-2024-12345'],
    aliases: [],
    products: [{ vendor: 'Microsoft', product: 'Exchange Server 2019' }],
    published: '2024-03-31T23:30:00.000Z',
  }),
  makeAdvisory({
    id: 'DSA-5678-1',
    title: 'openssl -- security update',
    cves: ['CVE-2024-5678'],
    aliases: [],
    products: [{ product: 'OpenSSL' }],
    published: '2024-04-01T00:00:00.000Z',
  }),
  makeAdvisory({
    id: 'GHSA-abcd-efgh-ijkl',
    title: 'Prototype pollution',
    cves: [],
    aliases: ['CVE-2024-9999'],
    products: [{ product: 'lodash', ecosystem: 'npm' }],
    published: '2024-02-01T00:00:00.000Z',
  }),
];
const [A, B, C, D] = ADVISORIES.map((a) => a.id) as [string, string, string, string];

export interface SearchContractDb {
  /** A store URL no other test uses (a new database file or schema). */
  freshUrl(): string;
  /** Run one SQL statement on the database behind `url`, outside the store. */
  exec(url: string, sql: string): Promise<void>;
}

export function describeAdvisorySearchContract(name: string, db: SearchContractDb): void {
  describe(`Store contract (advisory search): ${name}`, () => {
    let store: Store;
    let url: string;
    beforeEach(async () => {
      url = db.freshUrl();
      store = await openStore(url);
      // One upsert each, so the list order (newest change first) is D, C, B, A.
      for (const [i, a] of ADVISORIES.entries()) await store.upsertAdvisories([a], at(i + 1));
    });
    afterEach(async () => store.close());

    const find = async (query: Omit<AdvisoryQuery, 'limit'>): Promise<string[]> =>
      (await store.queryAdvisories({ limit: 50, ...query })).items.map((s) => s.advisory.id);

    it('finds a title word, in any case', async () => {
      expect(await find({ text: 'exchange' })).toEqual([B]);
      expect(await find({ text: 'EXCHANGE' })).toEqual([B]);
      expect(await find({ text: 'pollution' })).toEqual([D]);
    });

    it('finds a CVE id (also one named as an alias) as a whole word only', async () => {
      expect(await find({ text: 'cve-2024-1234' })).toEqual([A]);
      expect(await find({ text: 'CVE-2024-12345' })).toEqual([B]);
      expect(await find({ text: 'CVE-2024-9999' })).toEqual([D]);
      expect(await find({ text: 'CVE-2024-123' })).toEqual([]);
    });

    it('finds product and vendor names, and the advisory id whole or by its parts', async () => {
      expect(await find({ text: 'enterprise linux' })).toEqual([A]);
      expect(await find({ text: 'microsoft' })).toEqual([B]);
      expect(await find({ text: 'Lodash' })).toEqual([D]);
      expect(await find({ text: 'rhsa-2024:1234' })).toEqual([A]);
      expect(await find({ text: 'rhsa' })).toEqual([A]);
      expect(await find({ text: 'GHSA-abcd-efgh-ijkl' })).toEqual([D]);
    });

    it('needs every word (AND), counts a repeated word once, and ignores text without words', async () => {
      expect(await find({ text: 'openssl update' })).toEqual([C, A]);
      expect(await find({ text: 'openssl  red  HAT' })).toEqual([A]);
      expect(await find({ text: 'openssl exchange' })).toEqual([]);
      expect(await find({ text: 'openssl openssl OpenSSL' })).toEqual([C, A]);
      expect(await find({ text: '-- !!' })).toEqual([D, C, B, A]);
    });

    it('combines the words with the other filters', async () => {
      expect(await find({ text: 'openssl', cve: 'CVE-2024-5678' })).toEqual([C]);
      expect(await find({ text: 'security', since: at(2).toISOString() })).toEqual([C]);
    });

    it('forgets the old words when an advisory changes', async () => {
      await store.upsertAdvisories([{ ...ADVISORIES[0]!, title: 'Moderate: curl security update' }], at(9));
      expect(await find({ text: 'openssl' })).toEqual([C]);
      expect(await find({ text: 'curl' })).toEqual([A]);
    });

    it('filters by published day range, both ends inclusive (whole days, UTC)', async () => {
      expect(await find({ publishedFrom: '2024-03-01' })).toEqual([C, B, A]);
      expect(await find({ publishedTo: '2024-03-31' })).toEqual([D, B, A]);
      expect(await find({ publishedFrom: '2024-03-01', publishedTo: '2024-03-31' })).toEqual([B, A]);
      expect(await find({ publishedFrom: '2024-04-01', publishedTo: '2024-04-01' })).toEqual([C]);
      expect(await find({ publishedFrom: '2024-05-01' })).toEqual([]);
    });

    it('takes instants as bounds too, inclusive', async () => {
      expect(await find({ publishedTo: '2024-04-01T00:00:00Z' })).toEqual([D, C, B, A]);
      expect(await find({ publishedTo: '2024-03-31T23:59:59.999Z' })).toEqual([D, B, A]);
      expect(await find({ publishedFrom: '2024-03-31T23:30:00.001Z' })).toEqual([C]);
      expect(await find({ publishedFrom: '2024-04-01T02:00:00+02:00' })).toEqual([C]);
    });

    it('refuses a bound that is no date, naming it', async () => {
      await expect(store.queryAdvisories({ limit: 5, publishedFrom: 'yesterday' })).rejects.toThrow(/"yesterday" is not an ISO 8601 date/);
      await expect(store.queryAdvisories({ limit: 5, publishedTo: '2024-02-30' })).rejects.toThrow(/"2024-02-30" is not a calendar date/);
    });

    it('pages through a search with the cursor: every hit once, in order, nothing else', async () => {
      const many = Array.from({ length: 9 }, (_, i) =>
        makeAdvisory({ id: `K-${i}`, title: i % 3 === 0 ? `Linux kernel flaw ${i}` : `Other flaw ${i}`, published: `2024-0${1 + (i % 2)}-15T00:00:00.000Z`, aliases: [], cves: [] }),
      );
      for (const [i, a] of many.entries()) await store.upsertAdvisories([a], at(10 + i));
      const query = { text: 'flaw', publishedTo: '2024-01-31' } as const;
      const all = await find(query);
      expect(all).toEqual(['K-8', 'K-6', 'K-4', 'K-2', 'K-0']);
      const seen: string[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < 10; page++) {
        const res = await store.queryAdvisories({ limit: 2, ...query, ...(cursor ? { cursor } : {}) });
        seen.push(...res.items.map((s) => s.advisory.id));
        cursor = res.nextCursor;
        if (!cursor) break;
      }
      expect(seen).toEqual(all);
      expect(await find({ text: 'kernel flaw' })).toEqual(['K-6', 'K-3', 'K-0']);
    });

    it('indexes the advisories stored before migration 11 when it runs', async () => {
      await store.close();
      // Back to the schema before migration 11, data kept: as an older secwatch left it.
      await db.exec(url, 'DROP TABLE advisory_words');
      await db.exec(url, 'DROP INDEX advisories_published');
      await db.exec(url, 'DELETE FROM schema_migrations WHERE id = 11');
      store = await openStore(url);
      expect(await find({ text: 'openssl update' })).toEqual([C, A]);
      expect(await find({ text: 'GHSA-abcd-efgh-ijkl' })).toEqual([D]);
    });
  });
}
