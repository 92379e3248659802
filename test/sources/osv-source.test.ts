import { cpSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceConfig } from '../../src/config/schema.js';
import { createHttpClient, type HttpClient } from '../../src/net/http-client.js';
import { parseOsv } from '../../src/parse/index.js';
import { createOsvSource } from '../../src/sources/osv/osv-source.js';
import type { FetchResult, SourceContext } from '../../src/sources/source.js';
import type { SourceState } from '../../src/store/store.js';
import { fixedClock } from '../../src/util/clock.js';
import { silentLogger } from '../../src/util/logger.js';
import { corpus, corpusPath } from '../helpers/corpus.js';
import { startServer, type TestServer } from '../helpers/http-server.js';

let http: HttpClient;
let server: TestServer;
let dir: string;
const GO = readdirSync(corpusPath('osv/go-vulndb')).sort();

beforeAll(async () => {
  http = createHttpClient({ timeoutMs: 10_000, maxBytes: 1024 * 1024, maxRedirects: 2, userAgent: 'secwatch-test' });
  const record = corpus('osv/github-advisory-database/GHSA-9v2f-6vcg-3hgv.json');
  server = await startServer((req, res) => {
    if (req.headers['if-none-match'] === '"v1"') res.writeHead(304, { etag: '"v1"' }).end();
    else res.writeHead(200, { etag: '"v1"', 'content-type': 'application/json' }).end(record);
  });
  dir = mkdtempSync(join(tmpdir(), 'secwatch-osv-'));
  cpSync(corpusPath('osv/go-vulndb'), join(dir, 'go'), { recursive: true });
  writeFileSync(join(dir, 'go', 'README.txt'), 'not a record');
});

afterAll(async () => {
  await http.close();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const config = (url: string): SourceConfig => ({ id: 'osv', kind: 'osv', url, interval: 3_600_000, enabled: true });
const context = (): SourceContext => ({ http, clock: fixedClock('2026-07-07T00:00:00Z'), log: silentLogger });
const committed = (r: FetchResult, before?: SourceState): SourceState => ({
  sourceId: 'osv',
  validators: r.validators,
  ...(r.cursor === undefined ? (before?.cursor === undefined ? {} : { cursor: before.cursor }) : { cursor: r.cursor }),
});
const names = (r: FetchResult): string[] => (r.status === 'ok' ? r.documents.map((d) => d.url.replace(/^.*\//, '')) : []);

describe('osv source on a file: folder', () => {
  it('reads every *.json once, then nothing, then only the file that changed', async () => {
    const source = createOsvSource(config(pathToFileURL(dir).href), { maxBytes: 1024 * 1024 });
    const first = await source.fetch(context(), undefined);
    expect(names(first)).toEqual(GO);
    if (first.status === 'ok') {
      const parsed = (await Promise.all(first.documents.map((d) => parseOsv(d)))).flat();
      expect(parsed.map((a) => a.id)).toEqual(GO.map((f) => `osv:${f.replace(/\.json$/, '')}`));
    }
    const second = await source.fetch(context(), committed(first));
    expect(second.status).toBe('not-modified');

    const changed = join(dir, 'go', GO[2]!);
    writeFileSync(changed, corpus(`osv/go-vulndb/${GO[2]!}`).toString('utf8').replace('"modified"', '"withdrawn": "2026-01-01T00:00:00Z", "modified"'));
    utimesSync(changed, new Date('2026-07-08T00:00:00Z'), new Date('2026-07-08T00:00:00Z'));
    const third = await source.fetch(context(), committed(second, committed(first)));
    expect(names(third)).toEqual([GO[2]]);
  });
});

describe('osv source on one document over HTTP', () => {
  it('fetches the record, then asks with its ETag and gets "not modified"', async () => {
    const source = createOsvSource(config(`${server.url}/GHSA-9v2f-6vcg-3hgv.json`), { maxBytes: 1024 * 1024 });
    const first = await source.fetch(context(), undefined);
    expect(first.status).toBe('ok');
    if (first.status === 'ok') expect((await parseOsv(first.documents[0]!))[0]?.id).toBe('osv:GHSA-9v2f-6vcg-3hgv');
    const second = await source.fetch(context(), committed(first));
    expect(second.status).toBe('not-modified');
    expect(server.requests.at(-1)?.headers['if-none-match']).toBe('"v1"');
  });

  it('names the missing path when a file: URL does not exist', async () => {
    const source = createOsvSource(config(pathToFileURL(join(dir, 'nope.json')).href), { maxBytes: 1024 * 1024 });
    await expect(source.fetch(context(), undefined)).rejects.toThrow(/nope\.json: cannot read \(ENOENT\)/);
  });
});
