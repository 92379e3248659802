import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/load.js';
import { createHttpClient, type HttpClient } from '../../src/net/http-client.js';
import { createCsafSource } from '../../src/sources/csaf/csaf-source.js';
import { dueDocuments } from '../../src/sources/csaf/due.js';
import type { FetchResult, Source } from '../../src/sources/source.js';
import { fixedClock } from '../../src/util/clock.js';
import { silentLogger } from '../../src/util/logger.js';
import { corpus } from '../helpers/corpus.js';
import { startCsafProvider, type CsafProvider } from './csaf-provider.js';

// The first poll of a large provider: `since` leaves old documents out, `maxDocuments` fetches the
// newest few per poll and the rest on the next polls. CISA's IT feed, served from the corpus.

const IT = '/cisa/csaf_files/IT/white';
// What the feed lists, newest first, read from the feed itself; the corpus has every document but one (a 404).
const FEED = (JSON.parse(corpus('csaf/cisa/IT/white/cisa-csaf-it-feed-tlp-white.json').toString('utf8')) as { feed: { entry: { id: string; updated: string }[] } }).feed.entry
  .map((e) => ({ name: e.id.toLowerCase(), updated: new Date(e.updated).toISOString() }))
  .sort((a, b) => (a.updated < b.updated ? 1 : -1));
const IN_CORPUS = new Set(['va-24-201-01', 'va-24-254-01', 'va-24-254-02']);

let provider: CsafProvider;
let http: HttpClient;

beforeAll(async () => {
  provider = await startCsafProvider();
  http = createHttpClient({ timeoutMs: 5000, maxBytes: 10_000_000, maxRedirects: 2, userAgent: 'secwatch-test' });
});
afterAll(async () => {
  await http.close();
  await provider.close();
});

function source(extra: Record<string, unknown>): Source {
  const config = resolveConfig({ sources: [{ id: 'cisa-it', kind: 'csaf', url: `${provider.url}/cisa/provider-metadata.json`, verify: 'off', ...extra }] }).sources[0]!;
  return createCsafSource(config, { maxBytes: 10_000_000 });
}

async function poll(s: Source, previous?: FetchResult): Promise<FetchResult & { status: 'ok' }> {
  const result = await s.fetch({ http, clock: fixedClock('2026-01-01T00:00:00Z'), log: silentLogger }, previous ? { sourceId: s.id, validators: previous.validators, cursor: previous.cursor } : undefined);
  if (result.status !== 'ok') throw new Error('expected ok');
  return result;
}
const names = (r: FetchResult & { status: 'ok' }) => r.documents.map((d) => new URL(d.url).pathname.replace(`${IT}/2024/`, '').replace('.json', '')).sort();

describe('csaf first poll: since and maxDocuments', () => {
  it('maxDocuments: the newest first, a few per poll, until every document came once', async () => {
    const s = source({ maxDocuments: 2 });
    const fetched: string[][] = [];
    let previous: (FetchResult & { status: 'ok' }) | undefined;
    for (let i = 0; i < 4; i++) {
      const result: FetchResult & { status: 'ok' } = await poll(s, previous);
      fetched.push(names(result));
      previous = result;
    }
    // Expected from the feed: each poll takes the 2 newest not yet fetched; the 404 one stays due.
    const expected: string[][] = [];
    const done = new Set<string>();
    for (let i = 0; i < 4; i++) {
      const take = FEED.filter((e) => !done.has(e.name)).slice(0, 2).map((e) => e.name);
      const got = take.filter((n) => IN_CORPUS.has(n));
      got.forEach((n) => done.add(n));
      expected.push(got.sort());
    }
    expect(fetched).toEqual(expected);
    expect(fetched.flat().sort()).toEqual([...IN_CORPUS].sort());
  });

  it('since: documents last updated before the day are never fetched', async () => {
    const since = '2024-09-15';
    const s = source({ since });
    const first = await poll(s);
    expect(names(first)).toEqual(FEED.filter((e) => e.updated >= `${since}T00:00:00.000Z` && IN_CORPUS.has(e.name)).map((e) => e.name).sort());
    expect(names(first)).not.toContain('va-24-254-01');
    expect(names(await poll(s, first))).toEqual([]);
  });

  it('rejects a since that is not a day', () => {
    expect(() => resolveConfig({ sources: [{ id: 'x', kind: 'csaf', url: 'https://x.example/provider-metadata.json', since: '2024-09' }] })).toThrow(/since: must be a day/);
  });

  it('dueDocuments keeps documents whose listing gives no date, after the dated ones', () => {
    const listed = [
      { url: 'https://p.example/a.json', updated: '' },
      { url: 'https://p.example/b.json', updated: '2024-01-02T00:00:00.000Z' },
      { url: 'https://p.example/c.json', updated: '2023-01-01T00:00:00.000Z' },
    ];
    expect(dueDocuments(listed, {}, { since: '2024-01-01', maxDocuments: 5 })).toEqual({ due: [listed[1], listed[0]], deferred: 0, tooOld: 1 });
    expect(dueDocuments(listed, { 'https://p.example/b.json': '2024-01-02T00:00:00.000Z' }, { maxDocuments: 1 })).toEqual({ due: [listed[2]], deferred: 1, tooOld: 0 });
  });
});
