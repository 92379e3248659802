import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { zipSync, strToU8 } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { resolveConfig } from '../../src/config/load.js';
import { runCycle, type SourceReport } from '../../src/pipeline/index.js';
import { parseOsv } from '../../src/parse/index.js';
import { fixedClock } from '../../src/util/clock.js';
import { silentLogger } from '../../src/util/logger.js';
import { corpus, corpusPath } from '../helpers/corpus.js';
import { startServer, type TestServer } from '../helpers/http-server.js';

// OSV records through the real pipeline (poll → ingest → store, SQLite): a zip of records as
// osv.dev publishes them (file: and HTTP), and per-document isolation — one broken record in a
// folder or an archive is reported by name while the others are ingested.

const GO = readdirSync(corpusPath('osv/go-vulndb')).filter((f) => f.endsWith('.json')).sort();
const goId = (file: string): string => `osv:${(JSON.parse(corpus(`osv/go-vulndb/${file}`).toString('utf8')) as { id: string }).id}`;
const BROKEN = '{"id": "GO-9999-0001", "modified": "2024-01-01T00:00:00Z", "affected": [';
const NOT_OSV = '{"hello": "world"}';

let dir: string;
let server: TestServer;
let served: Uint8Array = new Uint8Array();
const apps: App[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'secwatch-osv-zip-'));
  server = await startServer((_req, res) => res.writeHead(200, { 'content-type': 'application/zip' }).end(Buffer.from(served)));
});

afterAll(async () => {
  for (const app of apps) await app.close();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A zip of the Go corpus records in a folder `go/` (as osv.dev's all.zip holds one file per record), plus extras. */
function goZip(extra: Record<string, Uint8Array> = {}, change: (file: string, text: string) => string = (_f, t) => t): Uint8Array {
  const files: Record<string, Uint8Array> = { 'go/': new Uint8Array() };
  for (const f of GO) files[`go/${f}`] = strToU8(change(f, corpus(`osv/go-vulndb/${f}`).toString('utf8')));
  return zipSync({ ...files, ...extra });
}

async function appFor(id: string, url: string, maxBytes?: number): Promise<App> {
  const data = mkdtempSync(join(dir, `${id}-`));
  const config = resolveConfig({ dataDir: data, store: { url: 'sqlite::memory:' }, sources: [{ id, kind: 'osv', url, ...(maxBytes ? { maxBytes } : {}) }] }, { baseDir: data, env: {} });
  const app = await createApp(config, { clock: fixedClock('2026-07-07T09:00:00Z'), log: silentLogger, random: () => 0.5 });
  apps.push(app);
  return app;
}

async function poll(app: App): Promise<SourceReport> {
  const { sources } = await runCycle(app);
  return sources[0]!;
}

describe('osv source reading a zip of records', () => {
  it('file: ingests every record, names the broken entry, then polls nothing, then only the entry that changed', async () => {
    const file = join(dir, 'all.zip');
    writeFileSync(file, goZip({ 'go/broken.json': strToU8(BROKEN), 'README.md': strToU8('# not a record') }));
    const url = pathToFileURL(file).href;
    const app = await appFor('osv-zip', url);

    const first = await poll(app);
    expect(first).toMatchObject({ status: 'ok', documents: GO.length + 1, advisories: { new: GO.length } });
    expect(first.status === 'ok' && first.problems).toEqual([expect.stringMatching(new RegExp(`^osv-zip: ${url}#go/broken\\.json: .*invalid JSON`))]);
    expect((await app.store.listAdvisories({ sourceId: 'osv-zip' })).map((s) => s.advisory.id).sort()).toEqual(GO.map(goId).sort());

    expect(await poll(app)).toEqual({ sourceId: 'osv-zip', status: 'not-modified' });

    const changed = GO[0]!;
    writeFileSync(file, goZip({}, (f, t) => (f === changed ? t.replace('"summary": "', '"summary": "Updated: ') : t)));
    const third = await poll(app);
    expect(third).toMatchObject({ status: 'ok', documents: 1, advisories: { new: 0, updated: 1 } });
    expect(third.status === 'ok' && third.problems).toBeUndefined();
  });

  it('http: fetches the archive over HTTP and ingests every record', async () => {
    served = goZip();
    const app = await appFor('osv-http-zip', `${server.url}/Go/all.zip`);
    expect(await poll(app)).toMatchObject({ status: 'ok', documents: GO.length, advisories: { new: GO.length } });
  });

  it('reads an archive whose entries claim to unpack to 200 MB each (over 1 GB together) by what they really hold', async () => {
    const zip = goZip();
    // Patch every central-directory entry's declared uncompressed size (offset 24) to 200 MB: the
    // sizes an archive declares are not trusted, neither to refuse it nor to allocate.
    const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
    for (let i = 0; i + 46 <= zip.length; i++) if (view.getUint32(i, true) === 0x02014b50) view.setUint32(i + 24, 200 * 1024 * 1024, true);
    expect(GO.length * 200 * 1024 * 1024).toBeGreaterThan(1024 ** 3);
    const file = join(dir, 'claims.zip');
    writeFileSync(file, zip);
    const report = await poll(await appFor('osv-claims', pathToFileURL(file).href, 256 * 1024 * 1024));
    expect(report).toMatchObject({ status: 'ok', documents: GO.length, advisories: { new: GO.length } });
  });

  it('skips and names one entry that unpacks past the source maxBytes (10 MB of zeros in a few KB), ingesting the rest', async () => {
    const file = join(dir, 'zeros.zip');
    writeFileSync(file, goZip({ 'go/zeros.json': new Uint8Array(10 * 1024 * 1024) }));
    const report = await poll(await appFor('osv-zeros', pathToFileURL(file).href, 1024 * 1024));
    expect(report).toMatchObject({ status: 'ok', advisories: { new: GO.length } });
    expect(report.status === 'ok' && report.problems).toEqual([expect.stringMatching(/^osv-zeros: file:.*zeros\.zip#go\/zeros\.json: unpacks to more than the 1048576 bytes allowed per entry$/)]);
  });

  it('secwatch parse reads a zip of records too: one advisory per record, a bad entry named', async () => {
    const doc = (body: Uint8Array) => ({ sourceId: 'osv', sourceKind: 'osv' as const, url: 'file:///all.zip', body, fetchedAt: new Date(0) });
    expect((await parseOsv(doc(goZip()))).map((a) => a.id).sort()).toEqual(GO.map(goId).sort());
    await expect(parseOsv(doc(goZip({ 'go/x.json': strToU8(NOT_OSV) })))).rejects.toThrow(/^zip entry go\/x\.json: not an OSV record/);
  });
});

describe('per-document isolation in a multi-document poll', () => {
  it('an OSV folder with a broken, a non-OSV and an oversized record: the others are ingested, each problem names source and file', async () => {
    const folder = join(dir, 'folder');
    cpSync(corpusPath('osv/go-vulndb'), folder, { recursive: true });
    writeFileSync(join(folder, 'broken.json'), BROKEN);
    writeFileSync(join(folder, 'not-osv.json'), NOT_OSV);
    writeFileSync(join(folder, 'huge.json'), `{"id":"GO-9999-0002","modified":"2024-01-01T00:00:00Z","details":"${'x'.repeat(64 * 1024)}"}`);
    const app = await appFor('go-folder', pathToFileURL(folder).href, 32 * 1024);
    const report = await poll(app);
    expect(report).toMatchObject({ status: 'ok', documents: GO.length + 2, advisories: { new: GO.length } });
    const problems = report.status === 'ok' ? [...(report.problems ?? [])].sort() : [];
    const fileUrl = (name: string) => pathToFileURL(join(folder, name)).href;
    expect(problems).toEqual([
      expect.stringMatching(new RegExp(`^go-folder: ${fileUrl('broken.json')}: .*invalid JSON`)),
      expect.stringMatching(new RegExp(`^go-folder: ${fileUrl('huge.json')}: `)),
      expect.stringMatching(new RegExp(`^go-folder: ${fileUrl('not-osv.json')}: .*not an OSV record`)),
    ]);
    expect((await app.store.listAdvisories()).map((s) => s.advisory.id).sort()).toEqual(GO.map(goId).sort());
    // The source's state says what went wrong, and the good records are not read again.
    expect((await app.store.getSourceState('go-folder'))?.lastError).toContain('broken.json');
    const second = await poll(app);
    expect(second).toMatchObject({ status: 'ok', documents: 0, advisories: { new: 0 } });
    expect(second.status === 'ok' && second.problems).toEqual([expect.stringContaining('huge.json')]);
  });
});
