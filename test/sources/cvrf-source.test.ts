import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SourceConfig } from '../../src/config/schema.js';
import { createHttpClient, type HttpClient } from '../../src/net/http-client.js';
import { parseCvrf } from '../../src/parse/index.js';
import { createCvrfSource } from '../../src/sources/cvrf/cvrf-source.js';
import type { FetchResult, SourceContext } from '../../src/sources/source.js';
import type { SourceState } from '../../src/store/store.js';
import { fixedClock } from '../../src/util/clock.js';
import { silentLogger } from '../../src/util/logger.js';
import { corpus } from '../helpers/corpus.js';
import { startServer, type TestServer } from '../helpers/http-server.js';

// The real /cvrf/v3.0/updates index (2026-07-06), cut to the months the corpus holds, its CvrfUrls
// pointed at a real server on 127.0.0.1 that serves those months with ETags.

interface IndexEntry { ID: string; CurrentReleaseDate: string; CvrfUrl: string }
const HELD = ['2007-Jun', '2017-Mar', '2023-Jan', '2025-Jan'];
const MONTH_BODY: Record<string, Buffer> = Object.fromEntries(HELD.map((id) => [id, corpus(`msrc/cvrf-${id}.xml`)]));

let server: TestServer;
let http: HttpClient;
let entries: IndexEntry[];
const missing = new Set<string>();

function indexBody(): string {
  return JSON.stringify({ '@odata.context': 'x', value: entries });
}

beforeAll(async () => {
  server = await startServer((req, res) => {
    const path = req.url ?? '';
    const body = path === '/cvrf/v3.0/updates' ? Buffer.from(indexBody()) : MONTH_BODY[/\/cvrf\/v3\.0\/cvrf\/(.+)$/.exec(path)?.[1] ?? ''];
    if (body === undefined || missing.has(path)) {
      res.writeHead(404).end();
      return;
    }
    const etag = `"${createHash('sha256').update(body).digest('hex').slice(0, 16)}"`;
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, { etag }).end();
      return;
    }
    res.writeHead(200, { etag, 'content-type': path.endsWith('updates') ? 'application/json' : 'application/xml' }).end(body);
  });
  http = createHttpClient({ timeoutMs: 10_000, maxBytes: 20 * 1024 * 1024, maxRedirects: 2, userAgent: 'secwatch-test' });
});

afterAll(async () => {
  await http.close();
  await server.close();
});

beforeEach(() => {
  const real = JSON.parse(corpus('msrc/updates-index.2026-07-06.json').toString('utf8')) as { value: IndexEntry[] };
  entries = real.value
    .filter((e) => HELD.includes(e.ID))
    .map((e) => ({ ...e, CvrfUrl: e.CvrfUrl.replace('https://api.msrc.microsoft.com', server.url) }));
  missing.clear();
  server.requests.length = 0;
});

const config = (since?: string): SourceConfig => ({
  id: 'msrc',
  kind: 'cvrf',
  url: `${server.url}/cvrf/v3.0/updates`,
  interval: 3_600_000,
  enabled: true,
  ...(since === undefined ? {} : { since }),
});
const ctx = (): SourceContext => ({ http, clock: fixedClock('2026-07-07T00:00:00Z'), log: silentLogger });
/** What the pipeline stores after a successful ingest (poll.ts commit). */
const committed = (r: FetchResult, before?: SourceState): SourceState => ({
  sourceId: 'msrc',
  validators: r.validators,
  ...(r.cursor === undefined ? (before?.cursor === undefined ? {} : { cursor: before.cursor }) : { cursor: r.cursor }),
});
const monthRequests = (): string[] => server.requests.map((r) => r.url).filter((u) => u.includes('/cvrf/v3.0/cvrf/'));
const docIds = (r: FetchResult): string[] => (r.status === 'ok' ? r.documents.map((d) => d.url.replace(/^.*\//, '')) : []);

describe('cvrf source against a local MSRC API', () => {
  it('fetches the months since `since`, oldest release first; the second poll fetches nothing', async () => {
    const source = createCvrfSource(config('2017-01'), { maxBytes: 20 * 1024 * 1024 });
    const first = await source.fetch(ctx(), undefined);
    expect(first.status).toBe('ok');
    // 2007-Jun is before `since`; the rest by CurrentReleaseDate (2017-Mar 2025-10-01, 2023-Jan and 2025-Jan 2026-06-28).
    expect(docIds(first)).toEqual(['2017-Mar', '2023-Jan', '2025-Jan']);
    expect(monthRequests()).toHaveLength(3);
    if (first.status === 'ok') {
      for (const d of first.documents) expect(Buffer.from(d.body).equals(MONTH_BODY[d.url.replace(/^.*\//, '')]!)).toBe(true);
      const advisories = await parseCvrf(first.documents[0]!);
      expect(advisories.length).toBeGreaterThan(100);
    }
    expect(first.cursor).toEqual({ months: { '2017-Mar': '2025-10-01T23:10:59Z', '2023-Jan': '2026-06-28T01:39:49Z', '2025-Jan': '2026-06-28T02:05:14Z' } });

    server.requests.length = 0;
    const second = await source.fetch(ctx(), committed(first));
    expect(second.status).toBe('not-modified');
    expect(server.requests.map((r) => r.url)).toEqual(['/cvrf/v3.0/updates']);
    expect(server.requests[0]?.headers['if-none-match']).toBe(first.validators.etag);
  });

  it('refetches exactly once a month whose CurrentReleaseDate moved', async () => {
    const source = createCvrfSource(config('2017-01'), { maxBytes: 20 * 1024 * 1024 });
    const first = await source.fetch(ctx(), undefined);
    entries = entries.map((e) => (e.ID === '2023-Jan' ? { ...e, CurrentReleaseDate: '2026-07-08T10:00:00Z' } : e));
    server.requests.length = 0;
    const second = await source.fetch(ctx(), committed(first));
    expect(docIds(second)).toEqual(['2023-Jan']);
    expect(monthRequests()).toEqual(['/cvrf/v3.0/cvrf/2023-Jan']);
    server.requests.length = 0;
    const third = await source.fetch(ctx(), committed(second));
    expect(third.status).toBe('not-modified');
    expect(monthRequests()).toEqual([]);
  });

  it('without `since` starts two months back, so a first poll does not fetch twenty years', async () => {
    const source = createCvrfSource(config(), { maxBytes: 20 * 1024 * 1024 });
    const result = await source.fetch({ ...ctx(), clock: fixedClock('2025-03-05T00:00:00Z') }, undefined);
    expect(docIds(result)).toEqual(['2025-Jan']);
  });

  it('a month that fails is left for the next poll, the others are delivered, the index is asked again', async () => {
    missing.add('/cvrf/v3.0/cvrf/2023-Jan');
    const source = createCvrfSource(config('2017-01'), { maxBytes: 20 * 1024 * 1024 });
    const first = await source.fetch(ctx(), undefined);
    expect(docIds(first)).toEqual(['2017-Mar', '2025-Jan']);
    expect(first.validators).toEqual({});
    expect(first.cursor).not.toHaveProperty(['months', '2023-Jan']);
    missing.clear();
    server.requests.length = 0;
    const second = await source.fetch(ctx(), committed(first));
    expect(docIds(second)).toEqual(['2023-Jan']);
    expect(server.requests[0]?.headers['if-none-match']).toBeUndefined();
  });

  it('fails the poll, naming the month URL, when every due month fails; rejects an index of the wrong shape', async () => {
    for (const id of HELD) missing.add(`/cvrf/v3.0/cvrf/${id}`);
    const source = createCvrfSource(config('2017-01'), { maxBytes: 20 * 1024 * 1024 });
    await expect(source.fetch(ctx(), undefined)).rejects.toThrow(/\/cvrf\/v3\.0\/cvrf\/2017-Mar: HTTP 404/);
    entries = [{ ID: '2025-Feb', CurrentReleaseDate: '2026-01-01T00:00:00Z', CvrfUrl: 'http://[' }];
    await expect(source.fetch(ctx(), undefined)).rejects.toThrow(/: 2025-Feb: CvrfUrl "http:\/\/\[" is not a URL$/);
    entries = [{ ID: 5 } as unknown as IndexEntry];
    await expect(source.fetch(ctx(), undefined)).rejects.toThrow(/^MSRC updates index http:\/\/127\.0\.0\.1:\d+\/cvrf\/v3\.0\/updates: value\.0\.ID: /);
  });
});
