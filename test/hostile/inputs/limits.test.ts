// The input limits of README "Limits", each enforced through the real cycle: items per document,
// documents per poll (global and per source), concurrency. (Body size, the decoded size of gzip
// and zip, and timeouts are in transport.test.ts, mail.test.ts and documents.test.ts.)
import { cpSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../src/config/load.js';
import { runCycle } from '../../../src/pipeline/index.js';
import { corpus, corpusPath } from '../../helpers/corpus.js';
import { startServer } from '../../helpers/http-server.js';
import { expectRefused, hostileCycle, type HostileRun } from './hostile-cycle.js';

const runs: HostileRun[] = [];
afterAll(async () => {
  for (const r of runs) await r.app.close();
});
async function cycle(...args: Parameters<typeof hostileCycle>): Promise<HostileRun> {
  const run = await hostileCycle(...args);
  runs.push(run);
  return run;
}
const KEV = { id: 'kev', kind: 'kev', url: pathToFileURL(corpusPath('kev/known_exploited_vulnerabilities.2025-08-25.json')).href };

describe('limits', () => {
  it('defaults are in the schema, and every key is configurable', () => {
    const config = resolveConfig({ sources: [{ ...KEV, timeout: '5s', maxBytes: '2MB', maxDocuments: 7 }] });
    expect(config.fetch).toMatchObject({ timeout: 30_000, maxBytes: 20 * 1024 * 1024, maxRedirects: 5, maxDocumentsPerPoll: 500_000, maxItemsPerDocument: 100_000 });
    expect(config.fetch.zip).toEqual({ maxEntries: 500_000, maxBytes: 1024 ** 3 });
    expect(resolveConfig({ fetch: { zip: { maxEntries: 10, maxBytes: '2GB', maxEntryBytes: '8MB' } } }).fetch.zip).toEqual({ maxEntries: 10, maxBytes: 2 * 1024 ** 3, maxEntryBytes: 8 * 1024 ** 2 });
    expect(() => resolveConfig({ fetch: { zip: { maxEntries: 0 } } })).toThrow(/zip\.maxEntries/);
    expect(config.sources[0]).toMatchObject({ timeout: 5000, maxBytes: 2 * 1024 * 1024, maxDocuments: 7 });
    expect(config.runner.concurrency).toBe(4);
    expect(() => resolveConfig({ fetch: { maxItemsPerDocument: 0 } })).toThrow(/maxItemsPerDocument/);
  });

  it('fetch.maxItemsPerDocument: a catalog announcing more is refused by name; the smaller feed next to it is stored', async () => {
    const run = await cycle([KEV], { fetch: { maxItemsPerDocument: 100 } });
    expectRefused(run.report('kev'), 'PARSE_INVALID', /known_exploited_vulnerabilities\.2025-08-25\.json: announces \d{4} advisories, more than the limit of 100 \(fetch\.maxItemsPerDocument\)/);
    expect(await run.app.store.listAdvisories({ sourceId: 'kev' })).toEqual([]);
  });

  it('maxDocuments over fetch.maxDocumentsPerPoll: an archive yielding more (one download, not splittable) is refused before anything is stored, and read whole once raised', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'secwatch-limits-'));
    const files = Object.fromEntries(readdirSync(corpusPath('osv/go-vulndb')).filter((f) => f.endsWith('.json')).map((f) => [`go/${f}`, new Uint8Array(corpus(`osv/go-vulndb/${f}`))]));
    writeFileSync(join(dir, 'all.zip'), zipSync(files));
    const osv = { id: 'osv', kind: 'osv', url: pathToFileURL(join(dir, 'all.zip')).href };
    const refused = await cycle([{ ...osv, maxDocuments: 3 }], { fetch: { maxDocumentsPerPoll: 100 } });
    expectRefused(refused.report('osv'), 'FETCH_TOO_LARGE', /the poll yields 8 documents, more than the limit of 3/);
    expect(await refused.app.store.listAdvisories({ sourceId: 'osv' })).toEqual([]);
    // The global limit applies where the source sets none (the control feed is one document).
    const global = await cycle([osv], { fetch: { maxDocumentsPerPoll: 5 } });
    expectRefused(global.report('osv'), 'FETCH_TOO_LARGE', /more than the limit of 5 \(maxDocuments \/ fetch\.maxDocumentsPerPoll\)/);
    // Same store, limit raised: nothing was skipped by the refused poll.
    const again = await runCycle({ ...global.app, config: { ...global.app.config, fetch: { ...global.app.config.fetch, maxDocumentsPerPoll: 8 } } });
    expect(again.sources.find((r) => r.sourceId === 'osv')).toMatchObject({ status: 'ok', documents: 8, advisories: { new: 8 } });
  });

  it('maxDocuments on a listing source (an OSV folder): 3 files per poll, the rest on the next polls, all stored in the end', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'secwatch-limits-'));
    cpSync(corpusPath('osv/go-vulndb'), join(dir, 'osv'), { recursive: true });
    const first = await cycle([{ id: 'osv', kind: 'osv', url: pathToFileURL(join(dir, 'osv')).href, maxDocuments: 3 }]);
    expect(first.report('osv')).toMatchObject({ status: 'ok', documents: 3, advisories: { new: 3 } });
    const second = await runCycle(first.app);
    const third = await runCycle(first.app);
    expect([second, third].map((c) => c.sources.find((r) => r.sourceId === 'osv'))).toMatchObject([
      { status: 'ok', documents: 3, advisories: { new: 3 } },
      { status: 'ok', documents: 2, advisories: { new: 2 } },
    ]);
    expect(await first.app.store.listAdvisories({ sourceId: 'osv' })).toHaveLength(8);
  });

  it('runner.concurrency: never more sources fetching at once than allowed', async () => {
    // The server holds each request until two are waiting (or it is the last one): with a limit of 2
    // that is always reached and never passed; a limit not enforced shows up as 3 or 4 at once.
    const held: (() => void)[] = [];
    let inFlight = 0;
    let most = 0;
    let seen = 0;
    const server = await startServer((_req, res) => {
      inFlight++;
      seen++;
      most = Math.max(most, inFlight);
      held.push(() => {
        inFlight--;
        res.writeHead(404).end();
      });
      if (held.length === 2 || seen === 4) for (const release of held.splice(0)) release();
    });
    try {
      const sources = [1, 2, 3, 4].map((i) => ({ id: `s${i}`, kind: 'kev', url: `${server.url}/${i}` }));
      const run = await cycle(sources, { runner: { concurrency: 2 } });
      for (const s of sources) expectRefused(run.report(s.id), 'FETCH_STATUS', /HTTP 404/);
      expect(seen).toBe(4);
      expect(most).toBe(2);
    } finally {
      await server.close();
    }
  });
});
