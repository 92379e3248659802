// The documents sources read to find other documents — a CVRF updates index, a CSAF
// provider-metadata.json and its ROLIE feed, an html listing — when hostile: wrong types, deep
// nesting, garbage. Each source fails with a typed error naming it (never INTERNAL), side by side.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../helpers/http-server.js';
import { expectRefused, hostileCycle, type HostileRun } from './hostile-cycle.js';

const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
const providerMetadata = (canonical: string, distributions: unknown[]): string =>
  JSON.stringify({ canonical_url: canonical, metadata_version: '2.0', role: 'csaf_provider', publisher: { category: 'vendor', name: 'x', namespace: 'https://x.example' }, distributions });
let server: TestServer;
let run: HostileRun;
const bodies: Record<string, string> = {};

beforeAll(async () => {
  server = await startServer((req, res) => {
    const body = bodies[req.url ?? ''];
    if (body === undefined) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/json' }).end(body);
  });
  const u = server.url;
  Object.assign(bodies, {
    '/cvrf-types': JSON.stringify({ value: [{ ID: 42, CurrentReleaseDate: {}, CvrfUrl: ['x'] }, 'x', null] }),
    '/cvrf-deep': `{"value":${deep}}`,
    '/cvrf-garbage': '\u0000\u00ff{{{',
    '/csaf-types': JSON.stringify({ canonical_url: 7, distributions: 'x', public_openpgp_keys: {}, role: [], metadata_version: null }),
    '/csaf-deep': `{"distributions":${deep}}`,
    '/csaf-rolie/provider-metadata.json': providerMetadata(`${u}/csaf-rolie/provider-metadata.json`, [{ rolie: { feeds: [{ summary: 'x', tlp_label: 'WHITE', url: `${u}/rolie` }] } }]),
    '/rolie': JSON.stringify({ feed: { entry: [{ id: 5, content: { src: { nested: true } }, link: 'x', updated: [] }, 7, null] } }),
    // Two feeds, one garbage and one missing (404): nothing can be listed.
    '/csaf-feeds/provider-metadata.json': providerMetadata(`${u}/csaf-feeds/provider-metadata.json`, [{ rolie: { feeds: [{ summary: 'x', tlp_label: 'WHITE', url: `${u}/rolie-garbage` }, { summary: 'y', tlp_label: 'WHITE', url: `${u}/rolie-missing` }] } }]),
    '/rolie-garbage': '\u0000{{{',
    // A directory provider whose changes.csv and index.txt are both missing.
    '/csaf-dir/provider-metadata.json': providerMetadata(`${u}/csaf-dir/provider-metadata.json`, [{ directory_url: `${u}/csaf-dir/white/` }]),
    '/osv-types': JSON.stringify([{ id: 1, modified: [], affected: 'x' }]),
    '/advance-list': `<html><body>${'<a href="javascript:alert(1)">x</a>'.repeat(3)}<a href="file:///etc/passwd">p</a><a href="http://[::1">bad</a></body></html>`,
  });
  run = await hostileCycle([
    { id: 'cvrf-types', kind: 'cvrf', url: `${u}/cvrf-types` },
    { id: 'cvrf-deep', kind: 'cvrf', url: `${u}/cvrf-deep` },
    { id: 'cvrf-garbage', kind: 'cvrf', url: `${u}/cvrf-garbage` },
    { id: 'csaf-types', kind: 'csaf', url: `${u}/csaf-types`, verify: 'off' },
    { id: 'csaf-deep', kind: 'csaf', url: `${u}/csaf-deep`, verify: 'off' },
    { id: 'csaf-rolie', kind: 'csaf', url: `${u}/csaf-rolie/provider-metadata.json`, verify: 'off' },
    { id: 'csaf-feeds', kind: 'csaf', url: `${u}/csaf-feeds/provider-metadata.json`, verify: 'off' },
    { id: 'csaf-dir', kind: 'csaf', url: `${u}/csaf-dir/provider-metadata.json`, verify: 'off' },
    { id: 'osv-types', kind: 'osv', url: `${u}/osv-types` },
    { id: 'advance-list', kind: 'advance', url: `${u}/advance-list`, links: 'a' },
  ]);
});
afterAll(async () => {
  await run.app.close();
  await server.close();
});

const refusals: [string, RegExp][] = [
  ['cvrf-types', /MSRC updates index .*\/cvrf-types: value\.0\.ID: Invalid input: expected string, received number/],
  ['cvrf-deep', /MSRC updates index .*\/cvrf-deep: value\.0: Invalid input: expected object, received array/],
  ['cvrf-garbage', /MSRC updates index .*\/cvrf-garbage: invalid JSON/],
  ['csaf-types', /csaf-types: not a CSAF provider-metadata\.json: canonical_url: Invalid input/],
  ['csaf-deep', /csaf-deep: not a CSAF provider-metadata\.json: distributions\.0: Invalid input/],
  ['osv-types', /not an OSV record: \[0\]\.id: Invalid input: expected string, received number/],
  // Every link refused (javascript:, file:, unparsable): once a silent "not-modified", now named.
  ['advance-list', /links selector "a" matched 5 link\(s\), none to this page's own origin/],
];

describe('hostile index documents', () => {
  it.each(refusals)('%s fails by name with PARSE_INVALID', (id, cause) => {
    expectRefused(run.report(id), 'PARSE_INVALID', cause);
  });

  // A provider none of whose listings can be read has listed nothing: the poll fails (the source
  // shows as failing), it does not report "ok, 0 documents". One bad feed among good ones stays
  // "ok" with a problem (test/sources/csaf-source.test.ts, "broken-feed").
  it('a ROLIE feed of wrong types, the only one: the poll fails naming it, nothing is stored', async () => {
    expectRefused(run.report('csaf-rolie'), 'PARSE_INVALID', /^csaf-rolie: http:\/\/127\.0\.0\.1:\d+\/rolie: not a ROLIE feed: Invalid input/);
    expect((await run.app.store.getSourceState('csaf-rolie'))?.lastError).toMatch(/\/rolie: not a ROLIE feed/);
    expect(await run.app.store.listAdvisories({ sourceId: 'csaf-rolie' })).toEqual([]);
  });

  it('every ROLIE feed unreadable (garbage, 404): one error naming each feed, with the download failure\'s code', () => {
    expectRefused(run.report('csaf-feeds'), 'FETCH_STATUS', /no listing could be read: .*\/rolie-garbage.*not valid JSON.*; .*\/rolie-missing: HTTP 404/);
  });

  it('a directory whose changes.csv and index.txt are missing: the poll fails naming the directory', () => {
    expectRefused(run.report('csaf-dir'), 'FETCH_STATUS', /\/csaf-dir\/white\/index\.txt: HTTP 404/);
  });
});
