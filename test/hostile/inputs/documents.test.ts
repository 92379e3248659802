// Hostile documents inside multi-document sources: a CSAF provider whose signature is garbage
// armour or whose advisory nests without end, and OSV zips that are bombs. Each is a typed outcome
// naming the source (and document), and the neighbour in the same cycle is stored.
import { zipSync, strToU8 } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpus } from '../../helpers/corpus.js';
import { startServer, type TestServer } from '../../helpers/http-server.js';
import { startCsafProvider, type CsafProvider } from '../../sources/csaf-provider.js';
import { expectRefused, hostileCycle, type HostileRun } from './hostile-cycle.js';

const ADVISORY = '/gocsaf/white/avendor-advisory-0004.json';
let provider: CsafProvider;
let zips: TestServer;
const zipBodies = new Map<string, Uint8Array>();
const runs: HostileRun[] = [];

beforeAll(async () => {
  provider = await startCsafProvider({ enableSha256: true, enableSha512: true });
  zips = await startServer((req, res) => {
    const body = zipBodies.get(req.url ?? '');
    if (!body) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/zip' }).end(Buffer.from(body));
  });
});
afterAll(async () => {
  for (const r of runs) await r.app.close();
  await provider.close();
  await zips.close();
});

async function cycle(sources: Record<string, unknown>[], raw: Record<string, unknown> = {}): Promise<HostileRun> {
  const run = await hostileCycle(sources, raw);
  runs.push(run);
  return run;
}

const gocsaf = (verify: string): Record<string, unknown> => ({ id: 'gocsaf', kind: 'csaf', url: `${provider.url}/gocsaf/provider-metadata.json`, verify });

describe('a CSAF provider serving hostile files', () => {
  it('a signature file of garbage armour: the advisory is quarantined as bad (verify: prefer)', async () => {
    provider.set(`${ADVISORY}.asc`, '-----BEGIN PGP SIGNATURE-----\n\n%%% not radix-64 \u00ff\u00fe ***\n=AAAA\n-----END PGP SIGNATURE-----\n');
    try {
      const run = await cycle([gocsaf('prefer')]);
      expect(run.report('gocsaf')).toMatchObject({ status: 'ok', documents: 1, quarantined: 1, advisories: { new: 0 } });
      expect((await run.app.store.listQuarantine({ sourceId: 'gocsaf' })).map((q) => q.status)).toEqual(['bad']);
    } finally {
      provider.set(`${ADVISORY}.asc`, undefined);
    }
  });

  it('an advisory whose product tree nests 5,000 branches deep: PARSE_INVALID naming the depth, not a RangeError', async () => {
    const real = JSON.parse(corpus(`csaf/gocsaf-simple-rolie-provider${ADVISORY.slice('/gocsaf'.length)}`).toString('utf8')) as Record<string, unknown>;
    const deep = JSON.stringify({ ...real, product_tree: { branches: [] } }).replace(
      '"branches":[]',
      `"branches":${'[{"category":"vendor","name":"x","branches":'.repeat(5000)}[]${'}]'.repeat(5000)}`,
    );
    provider.set(ADVISORY, deep);
    try {
      const run = await cycle([gocsaf('off')]);
      expectRefused(run.report('gocsaf'), 'PARSE_INVALID', /nested deeper than 256 levels at \.product_tree\.branches/);
    } finally {
      provider.set(ADVISORY, undefined);
    }
  });
});

/**
 * Set the "uncompressed size" every central-directory entry and local header declares (what a
 * reader trusting headers would allocate, and where it would stop inflating).
 */
function lieAboutSizes(zip: Uint8Array, size: number): Uint8Array {
  const out = Uint8Array.prototype.slice.call(zip);
  const view = new DataView(out.buffer);
  for (let i = 0; i + 46 <= out.length; i++) {
    if (view.getUint32(i, true) === 0x02014b50) view.setUint32(i + 24, size, true);
    if (view.getUint32(i, true) === 0x04034b50) view.setUint32(i + 22, size, true);
  }
  return out;
}

describe('OSV zip bombs', () => {
  const record = corpus('osv/go-vulndb/GO-2022-0969.json');
  const zeros = (mb: number): Uint8Array => new Uint8Array(mb * 1024 * 1024);

  it('headers claiming 60 MB per entry (1.2 GB together) for small records: sizes are not trusted, the records are read', async () => {
    const files: Record<string, Uint8Array> = {};
    for (let i = 0; i < 20; i++) files[`go/GO-${i}.json`] = new Uint8Array(record);
    zipBodies.set('/claims-huge.zip', lieAboutSizes(zipSync(files), 60 * 1024 * 1024));
    const run = await cycle([{ id: 'osv-zip', kind: 'osv', url: `${zips.url}/claims-huge.zip`, maxBytes: '64MB' }]);
    // 20 documents of one record: one advisory, nothing refused or skipped.
    expect(run.report('osv-zip')).toMatchObject({ status: 'ok', documents: 20, advisories: { new: 1 } });
    expect(run.report('osv-zip')).not.toHaveProperty('problems');
  });

  it('an entry claiming 100 bytes that inflates to 16 MB of zeros: stopped at the per-entry limit, skipped and named; the record next to it is stored', async () => {
    const bomb = lieAboutSizes(zipSync({ 'go/GO-2022-0969.json': new Uint8Array(record), 'go/zeros.json': zeros(16) }, { level: 1 }), 100);
    expect(bomb.length).toBeLessThan(256 * 1024);
    zipBodies.set('/one-bomb.zip', bomb);
    const run = await cycle([{ id: 'osv-zip', kind: 'osv', url: `${zips.url}/one-bomb.zip`, maxBytes: '1MB' }]);
    const report = run.report('osv-zip');
    expect(report).toMatchObject({ status: 'ok', documents: 1, advisories: { new: 1 } });
    expect(report.status === 'ok' && report.problems).toEqual([expect.stringMatching(/^osv-zip: .*one-bomb\.zip#go\/zeros\.json: unpacks to more than the 1048576 bytes allowed per entry$/)]);
  });

  it('entries claiming 100 bytes each that inflate past fetch.zip.maxBytes together: FETCH_TOO_LARGE, nothing stored', async () => {
    const bomb = lieAboutSizes(zipSync({ 'go/a.json': zeros(2), 'go/b.json': zeros(2), 'go/c.json': zeros(2), 'go/GO-2022-0969.json': new Uint8Array(record) }, { level: 1 }), 100);
    zipBodies.set('/total-bomb.zip', bomb);
    const run = await cycle([{ id: 'osv-zip', kind: 'osv', url: `${zips.url}/total-bomb.zip`, maxBytes: '4MB' }], { fetch: { zip: { maxBytes: '5MB' } } });
    expectRefused(run.report('osv-zip'), 'FETCH_TOO_LARGE', /total-bomb\.zip: entries unpack to more than 5242880 bytes \(the limit\); a zip bomb/);
    expect(await run.app.store.listAdvisories({ sourceId: 'osv-zip' })).toEqual([]);
  });

  it('fetch.zip.maxEntries and maxEntryBytes are configurable: more entries than allowed is refused, a larger entry than allowed skipped', async () => {
    const files: Record<string, Uint8Array> = {};
    for (let i = 0; i < 4; i++) files[`go/GO-${i}.json`] = new Uint8Array(record);
    zipBodies.set('/four.zip', zipSync(files));
    const entries = await cycle([{ id: 'osv-zip', kind: 'osv', url: `${zips.url}/four.zip` }], { fetch: { zip: { maxEntries: 3 } } });
    expectRefused(entries.report('osv-zip'), 'FETCH_TOO_LARGE', /four\.zip: more than 3 entries/);
    const entryBytes = await cycle([{ id: 'osv-zip', kind: 'osv', url: `${zips.url}/four.zip` }], { fetch: { zip: { maxEntryBytes: record.length - 1 } } });
    const report = entryBytes.report('osv-zip');
    expect(report).toMatchObject({ status: 'ok', documents: 0 });
    const problems = report.status === 'ok' ? (report.problems ?? []) : [];
    expect(problems).toHaveLength(4);
    for (const p of problems) expect(p).toMatch(new RegExp(`^osv-zip: .*four\\.zip#go/GO-\\d\\.json: unpacks to more than the ${record.length - 1} bytes allowed per entry$`));
  });

  it('a truncated zip is PARSE_INVALID naming the archive', async () => {
    zipBodies.set('/cut.zip', zipSync({ 'go/a.json': strToU8('{}') }).subarray(0, 30));
    const run = await cycle([{ id: 'osv-zip', kind: 'osv', url: `${zips.url}/cut.zip` }]);
    expectRefused(run.report('osv-zip'), 'PARSE_INVALID', /cut\.zip: not a readable zip archive: no end of central directory record/);
  });
});
