// maxDocuments bounds what a listing source DOWNLOADS, not only what it ingests: a CVRF index, a
// CSAF provider, an html list page and an OSV folder listing more than the limit are fetched a
// limited number of documents per poll, the rest on the next polls, nothing twice. Real servers on
// 127.0.0.1 count the requests.
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../src/config/load.js';
import { createHttpClient, type HttpClient } from '../../../src/net/http-client.js';
import { createSource } from '../../../src/sources/index.js';
import type { FetchResult, Source } from '../../../src/sources/source.js';
import type { SourceState } from '../../../src/store/store.js';
import { fixedClock } from '../../../src/util/clock.js';
import { silentLogger } from '../../../src/util/logger.js';
import { corpus, corpusPath } from '../../helpers/corpus.js';
import { startServer, type TestServer } from '../../helpers/http-server.js';
import { startCsafProvider, type CsafProvider } from '../../sources/csaf-provider.js';
import { hostileCycle } from './hostile-cycle.js';

const MONTHS = ['2007-Jun', '2017-Mar', '2023-Jan', '2025-Jan'];
const PAGES = [1, 2, 3, 4, 5];

let server: TestServer;
let http: HttpClient;

/** 200 with an ETag, or 304 when the client already has it: a page that did not change costs no download. */
function serve(res: Parameters<Parameters<typeof startServer>[0]>[1], ifNoneMatch: string | undefined, body: Buffer, type: string): void {
  const etag = `"${createHash('sha256').update(body).digest('hex').slice(0, 16)}"`;
  if (ifNoneMatch === etag) return void res.writeHead(304, { etag }).end();
  res.writeHead(200, { etag, 'content-type': type }).end(body);
}

beforeAll(async () => {
  server = await startServer((req, res) => {
    const path = req.url ?? '';
    const inm = req.headers['if-none-match'];
    if (path === '/cvrf/v3.0/updates') {
      const real = JSON.parse(corpus('msrc/updates-index.2026-07-06.json').toString('utf8')) as { value: { ID: string; CvrfUrl: string }[] };
      const value = real.value.filter((e) => MONTHS.includes(e.ID)).map((e) => ({ ...e, CvrfUrl: e.CvrfUrl.replace('https://api.msrc.microsoft.com', server.url) }));
      return serve(res, inm, Buffer.from(JSON.stringify({ value })), 'application/json');
    }
    const month = /^\/cvrf\/v3\.0\/cvrf\/(.+)$/.exec(path)?.[1];
    if (month !== undefined && MONTHS.includes(month)) return serve(res, inm, corpus(`msrc/cvrf-${month}.xml`), 'application/xml');
    if (path === '/advisories/') {
      const links = PAGES.map((i) => `<li><a class="advisory" href="/advisories/${i}.html">Advisory ${i}</a></li>`).join('');
      return serve(res, inm, Buffer.from(`<html><body><ul>${links}</ul></body></html>`), 'text/html');
    }
    const page = /^\/advisories\/(\d)\.html$/.exec(path)?.[1];
    if (page !== undefined) return serve(res, inm, Buffer.from(`<html><body><h1>Advisory ${page}</h1><time>2026-07-0${page}</time></body></html>`), 'text/html');
    res.writeHead(404).end();
  });
  http = createHttpClient({ timeoutMs: 10_000, maxBytes: 20 * 1024 * 1024, maxRedirects: 2, userAgent: 'secwatch-test' });
});
afterAll(async () => {
  await http.close();
  await server.close();
});

function sourceOf(raw: Record<string, unknown>, maxDocumentsPerPoll?: number): Source {
  const config = resolveConfig({ sources: [raw], ...(maxDocumentsPerPoll ? { fetch: { maxDocumentsPerPoll } } : {}) });
  return createSource(config.sources[0]!, { maxBytes: config.fetch.maxBytes, maxDocuments: config.fetch.maxDocumentsPerPoll, zip: config.fetch.zip });
}

/** Polls as the pipeline does, committing validators and cursor after each; per poll: the documents and how much `counted` grew. */
async function pollUntilQuiet(source: Source, counted: () => number, polls: number): Promise<{ documents: string[][]; requests: number[]; last: FetchResult['status'] }> {
  let state: SourceState | undefined;
  const documents: string[][] = [];
  const requests: number[] = [];
  let last: FetchResult['status'] = 'ok';
  for (let i = 0; i < polls; i++) {
    const before = counted();
    const result = await source.fetch({ http, clock: fixedClock('2026-07-07T09:00:00Z'), log: silentLogger }, state);
    requests.push(counted() - before);
    documents.push(result.status === 'ok' ? result.documents.map((d) => d.url.replace(server.url, '')) : []);
    last = result.status;
    state = { sourceId: source.id, validators: result.validators, ...(result.cursor === undefined ? {} : { cursor: result.cursor }) };
  }
  return { documents, requests, last };
}

/** Requests (conditional ones included) to paths matching `re`. */
function requestsTo(re: RegExp): () => number {
  return () => server.requests.filter((r) => re.test(r.url)).length;
}

describe('maxDocuments bounds requests of listing sources', () => {
  it('cvrf: at most 2 months downloaded per poll, oldest release first, then the index answers "not modified"', async () => {
    const source = sourceOf({ id: 'msrc', kind: 'cvrf', url: `${server.url}/cvrf/v3.0/updates`, since: '2000-01', maxDocuments: 2 });
    const months = requestsTo(/^\/cvrf\/v3\.0\/cvrf\//);
    const run = await pollUntilQuiet(source, months, 3);
    // Month requests per poll: 2, then 2 (the two already ingested are not asked again), then none.
    expect(run.requests).toEqual([2, 2, 0]);
    expect(run.documents.map((d) => d.length)).toEqual([2, 2, 0]);
    expect(new Set(run.documents.flat()).size).toBe(MONTHS.length);
    expect(run.last).toBe('not-modified');
  });

  it('html: at most 2 linked pages downloaded per poll (fetch.maxDocumentsPerPoll); pages already read answer 304', async () => {
    const source = sourceOf({ id: 'vendor', kind: 'html', url: `${server.url}/advisories/`, links: 'a.advisory', fields: { title: 'h1', date: 'time' } }, 2);
    const pageGets = requestsTo(/^\/advisories\/\d\.html$/);
    const run = await pollUntilQuiet(source, pageGets, 4);
    expect(run.documents).toEqual([['/advisories/1.html', '/advisories/2.html'], ['/advisories/3.html', '/advisories/4.html'], ['/advisories/5.html'], []]);
    // Requests per poll: 2 new; 2 conditional (304) + 2 new; 4 conditional + 1 new; none (the list page is 304).
    expect(run.requests).toEqual([2, 4, 5, 0]);
    const answered200 = server.requests.filter((r) => /^\/advisories\/\d\.html$/.test(r.url) && r.headers['if-none-match'] === undefined).length;
    expect(answered200).toBe(PAGES.length);
    expect(run.last).toBe('not-modified');
  });

  it('osv folder: at most 3 files read per poll, each once, then "not modified"', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'secwatch-listing-'));
    cpSync(corpusPath('osv/go-vulndb'), join(dir, 'osv'), { recursive: true });
    const files = readdirSync(join(dir, 'osv')).filter((f) => f.endsWith('.json'));
    const source = sourceOf({ id: 'osv', kind: 'osv', url: pathToFileURL(join(dir, 'osv')).href, maxDocuments: 3 });
    const polls = Math.ceil(files.length / 3) + 1;
    const run = await pollUntilQuiet(source, () => 0, polls);
    expect(run.documents.map((d) => d.length)).toEqual([...Array.from({ length: polls - 2 }, () => 3), files.length - 3 * (polls - 2), 0]);
    expect(new Set(run.documents.flat()).size).toBe(files.length);
    expect(run.last).toBe('not-modified');
  });
});

describe('csaf: fetch.maxDocumentsPerPoll applies where the source sets no maxDocuments', () => {
  let provider: CsafProvider;
  beforeAll(async () => {
    provider = await startCsafProvider();
  });
  afterAll(async () => {
    await provider.close();
  });

  it('one poll requests only 2 of the listed documents, through the real cycle', async () => {
    const run = await hostileCycle([{ id: 'cisa-it', kind: 'csaf', url: `${provider.url}/cisa/provider-metadata.json`, verify: 'off' }], { fetch: { maxDocumentsPerPoll: 2 } });
    try {
      const documentGets = provider.gets().filter((p) => /\/2024\/[^/]+\.json$/.test(p));
      expect(documentGets).toHaveLength(2);
      expect(run.report('cisa-it')).toMatchObject({ status: 'ok' });
    } finally {
      await run.app.close();
    }
  });
});
