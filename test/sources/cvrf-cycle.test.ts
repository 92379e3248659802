import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { resolveConfig } from '../../src/config/load.js';
import { runCycle, type CycleSummary, type SourceReport } from '../../src/pipeline/index.js';
import { fixedClock } from '../../src/util/clock.js';
import { silentLogger } from '../../src/util/logger.js';
import { corpus, corpusPath } from '../helpers/corpus.js';
import { startServer, type TestServer } from '../helpers/http-server.js';

// The cvrf and osv sources through the real pipeline (poll → ingest → store, cursor committed by
// the pipeline), SQLite in a temporary folder, MSRC served from the corpus on 127.0.0.1.

interface IndexEntry { ID: string; CurrentReleaseDate: string; CvrfUrl: string }
const MONTHS = ['2023-Jan', '2025-Jan'];

let server: TestServer;
let app: App;
let dir: string;
let entries: IndexEntry[];
const report = (s: CycleSummary, id: string): SourceReport | undefined => s.sources.find((r) => r.sourceId === id);
const cvesOf = (id: string): string[] => [...corpus(`msrc/cvrf-${id}.xml`).toString('utf8').matchAll(/<vuln:CVE>([^<]+)</g)].map((m) => m[1]!);

beforeAll(async () => {
  server = await startServer((req, res) => {
    if (req.url === '/updates') {
      const body = JSON.stringify({ value: entries });
      const etag = `"${createHash('sha256').update(body).digest('hex').slice(0, 16)}"`;
      if (req.headers['if-none-match'] === etag) return res.writeHead(304, { etag }).end();
      return res.writeHead(200, { etag, 'content-type': 'application/json' }).end(body);
    }
    const id = /^\/cvrf\/(.+)$/.exec(req.url ?? '')?.[1] ?? '';
    if (!MONTHS.includes(id)) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/xml' }).end(corpus(`msrc/cvrf-${id}.xml`));
  });
  const index = JSON.parse(corpus('msrc/updates-index.2026-07-06.json').toString('utf8')) as { value: IndexEntry[] };
  entries = index.value.filter((e) => MONTHS.includes(e.ID)).map((e) => ({ ...e, CvrfUrl: `${server.url}/cvrf/${e.ID}` }));
  dir = mkdtempSync(join(tmpdir(), 'secwatch-cvrf-cycle-'));
  cpSync(corpusPath('osv/go-vulndb'), join(dir, 'osv'), { recursive: true });
  const config = resolveConfig(
    {
      dataDir: dir,
      sources: [
        { id: 'msrc', kind: 'cvrf', url: `${server.url}/updates`, since: '2023-01' },
        { id: 'go', kind: 'osv', url: pathToFileURL(join(dir, 'osv')).href },
      ],
    },
    { baseDir: dir, env: {} },
  );
  app = await createApp(config, { clock: fixedClock('2026-07-07T09:00:00Z'), log: silentLogger, random: () => 0.5 });
});

afterAll(async () => {
  await app.close();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('cvrf and osv sources in a cycle', () => {
  it('stores one item per CVE of both months, then polls nothing new, then refetches a moved month once without duplicating', async () => {
    const distinct = new Set([...cvesOf('2023-Jan'), ...cvesOf('2025-Jan')]);
    const first = await runCycle(app);
    expect(report(first, 'msrc')).toMatchObject({ status: 'ok', documents: 2, advisories: { new: distinct.size, revised: 0 } });
    expect(report(first, 'go')).toMatchObject({ status: 'ok', documents: 8, advisories: { new: 8 } });
    expect(await app.store.listAdvisories({ sourceId: 'msrc' })).toHaveLength(distinct.size);
    expect((await app.store.getSourceState('msrc'))?.cursor).toEqual({ months: Object.fromEntries(entries.map((e) => [e.ID, e.CurrentReleaseDate])) });

    const second = await runCycle(app);
    expect(report(second, 'msrc')).toEqual({ sourceId: 'msrc', status: 'not-modified' });
    expect(report(second, 'go')).toEqual({ sourceId: 'go', status: 'not-modified' });

    entries = entries.map((e) => (e.ID === '2023-Jan' ? { ...e, CurrentReleaseDate: '2026-07-07T08:00:00Z' } : e));
    const requestsBefore = server.requests.length;
    const third = await runCycle(app);
    expect(report(third, 'msrc')).toMatchObject({ status: 'ok', documents: 1, advisories: { new: 0, revised: 0, unchanged: cvesOf('2023-Jan').length } });
    expect(server.requests.slice(requestsBefore).map((r) => r.url)).toEqual(['/updates', '/cvrf/2023-Jan']);
    expect(await app.store.listAdvisories({ sourceId: 'msrc' })).toHaveLength(distinct.size);
  });
});
