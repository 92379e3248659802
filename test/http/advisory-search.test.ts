import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { resolveConfig } from '../../src/config/load.js';
import { createMetrics } from '../../src/http/metrics.js';
import { buildServer } from '../../src/http/server.js';
import type { Advisory } from '../../src/model/advisory.js';
import { runCycle } from '../../src/pipeline/index.js';
import { queryWordsOf, searchWordsOf } from '../../src/store/search-words.js';
import { fixedClock } from '../../src/util/clock.js';
import { silentLogger } from '../../src/util/logger.js';
import { corpusPath } from '../helpers/corpus.js';

// GET /advisories?q=…&publishedFrom=…&publishedTo=… over the real KEV catalog (1,404 entries, one
// cycle): the store searches all of them, not one page.

const TOKEN = 'test-admin-token-search-41c2';
const auth = { authorization: `Bearer ${TOKEN}` };
type Item = Advisory & { updatedAt: string };
let app: App;
let inject: ReturnType<typeof buildServer>['server']['inject'];
let close: () => Promise<void>;
/** Every advisory, as the unfiltered list pages them. */
let all: Item[];

async function getJson<T>(url: string): Promise<{ status: number; body: T }> {
  const res = await inject({ method: 'GET', url, headers: auth });
  return { status: res.statusCode, body: res.json<T>() };
}

async function listAll(query: string): Promise<Item[]> {
  const items: Item[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 100; page++) {
    const { body } = await getJson<{ items: Item[]; nextCursor?: string }>(`/advisories?limit=200${query}${cursor ? `&cursor=${cursor}` : ''}`);
    items.push(...body.items);
    cursor = body.nextCursor;
    if (!cursor) return items;
  }
  throw new Error('more than 100 pages');
}

/** The advisories a search must return, worked out from the word lists, not from SQL. */
const expected = (q: string, keep: (a: Item) => boolean = () => true): string[] =>
  all.filter((a) => keep(a) && queryWordsOf(q).every((w) => searchWordsOf(a).includes(w))).map((a) => a.id);

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'secwatch-http-search-'));
  const config = resolveConfig(
    {
      dataDir: dir,
      store: { url: 'sqlite::memory:' },
      sources: [{ id: 'cisa-kev', kind: 'kev', url: pathToFileURL(corpusPath('kev/known_exploited_vulnerabilities.2025-08-25.json')).href }],
    },
    { baseDir: dir, env: { SECWATCH_ADMIN_TOKEN: TOKEN } },
  );
  app = await createApp(config, { clock: fixedClock('2025-08-26T09:00:00Z'), log: silentLogger });
  await runCycle(app);
  const built = buildServer({ ...app, metrics: createMetrics(app.store, app.sources) });
  inject = built.server.inject.bind(built.server);
  close = async () => {
    await built.server.close();
    await app.close();
  };
  all = await listAll('');
}, 120_000);

afterAll(async () => close(), 60_000);

describe('GET /advisories search and published range', () => {
  it('finds by product words an advisory that is not on the first page of 200', async () => {
    const firstPage = all.slice(0, 200).map((a) => a.id);
    expect(all.length).toBeGreaterThan(1000);
    expect(firstPage).not.toContain('kev:CVE-2024-8069');
    const { status, body } = await getJson<{ items: Item[] }>('/advisories?q=Citrix%20session%20RECORDING');
    expect(status).toBe(200);
    const ids = body.items.map((a) => a.id);
    expect(ids).toContain('kev:CVE-2024-8069');
    expect(ids).toEqual(expected('Citrix session RECORDING'));
  });

  it('finds a CVE id, and only whole words', async () => {
    const { body } = await getJson<{ items: Item[] }>('/advisories?q=cve-2025-48384');
    expect(body.items.map((a) => a.id)).toEqual(['kev:CVE-2025-48384']);
    expect(all.slice(0, 200).map((a) => a.id)).not.toContain('kev:CVE-2025-48384');
    expect((await getJson<{ items: Item[] }>('/advisories?q=cve-2025-4838')).body.items).toEqual([]);
  });

  it('filters by published range over all pages, and pages through a search with the cursor', async () => {
    const from = '2025-01-01';
    const to = '2025-06-30';
    const inRange = (a: Item) => a.published.slice(0, 10) >= from && a.published.slice(0, 10) <= to;
    const ranged = await listAll(`&publishedFrom=${from}&publishedTo=${to}`);
    expect(ranged.map((a) => a.id)).toEqual(all.filter(inRange).map((a) => a.id));
    expect(ranged.length).toBeGreaterThan(0);
    // A word common enough to need several pages of 5.
    const windows = expected('windows', inRange);
    expect(windows.length).toBeGreaterThan(5);
    const paged: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 50; page++) {
      const { body } = await getJson<{ items: Item[]; nextCursor?: string }>(
        `/advisories?limit=5&q=windows&publishedFrom=${from}&publishedTo=${to}${cursor ? `&cursor=${cursor}` : ''}`,
      );
      paged.push(...body.items.map((a) => a.id));
      cursor = body.nextCursor;
      if (!cursor) break;
    }
    expect(paged).toEqual(windows);
  });

  it('answers 400 for a bound that is no date and for an overlong search', async () => {
    expect((await getJson('/advisories?publishedFrom=yesterday')).status).toBe(400);
    expect((await getJson('/advisories?publishedTo=2025-02-30')).status).toBe(400);
    expect((await getJson(`/advisories?q=${'a'.repeat(201)}`)).status).toBe(400);
    expect((await getJson('/advisories?publishedTo=2025-08-25T23:59:59Z')).status).toBe(200);
  });
});
