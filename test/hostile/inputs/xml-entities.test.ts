// XML entity expansion ("billion laughs") and external entities (XXE) in every source kind that
// reads XML or HTML (rss/atom, cvrf, html): nothing expands, no file is read, no URL is fetched.
// The traps are observable: a file holding a marker, and a server that records /xxe requests.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../helpers/http-server.js';
import { expectRefused, hostileCycle, type HostileRun } from './hostile-cycle.js';

const MARKER = `xxe-secret-${randomBytes(6).toString('hex')}`;
let secretFile: string;
let server: TestServer;
const served = new Map<string, string>();
const runs: HostileRun[] = [];

beforeAll(async () => {
  secretFile = join(mkdtempSync(join(tmpdir(), 'secwatch-xxe-')), 'secret.txt');
  writeFileSync(secretFile, MARKER);
  server = await startServer((req, res) => {
    const body = served.get(req.url ?? '');
    // /xxe* are the traps: any request to them is a failure, answered with the marker to make it visible too.
    if ((req.url ?? '').startsWith('/xxe')) return res.writeHead(200, { 'content-type': 'application/xml-dtd' }).end(`<!ENTITY leak "${MARKER}">`);
    if (body === undefined) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': req.url?.endsWith('.html') ? 'text/html' : 'application/xml' }).end(body);
  });
});

afterAll(async () => {
  for (const r of runs) await r.app.close();
  await server.close();
});

/** A DOCTYPE with the exponential entities, external ones (file and http), an external DTD and a parameter entity. */
const doctype = (root: string): string => {
  const lol = ['<!ENTITY lol0 "lol">'];
  for (let i = 1; i <= 9; i++) lol.push(`<!ENTITY lol${i} "${`&lol${i - 1};`.repeat(10)}">`);
  return `<?xml version="1.0"?>
<!DOCTYPE ${root} SYSTEM "${server.url}/xxe-dtd" [
 ${lol.join('\n ')}
 <!ENTITY file SYSTEM "${pathToFileURL(secretFile).href}">
 <!ENTITY url SYSTEM "${server.url}/xxe-entity">
 <!ENTITY % param SYSTEM "${server.url}/xxe-param">
 %param;
]>
`;
};
const TRAPS = '&lol9; &file; &url; &leak;';

const rss = (): string =>
  `${doctype('rss')}<rss version="2.0"><channel><title>${TRAPS}</title><link>https://e.example/</link><description>d</description>
<item><title>DSA-1-1 x ${TRAPS}</title><link>https://e.example/dsa-1</link><pubDate>Mon, 02 Sep 2024 08:30:00 +0200</pubDate><description>${TRAPS}</description></item>
</channel></rss>`;
const atom = (): string =>
  `${doctype('feed')}<feed xmlns="http://www.w3.org/2005/Atom"><title>a</title><id>urn:a</id><updated>2024-10-01T12:00:00Z</updated>
<entry><id>urn:x</id><title>${TRAPS}</title><link href="https://e.example/GHSA-1"/><updated>2024-10-01T09:15:00Z</updated><content>${TRAPS}</content></entry></feed>`;
const cvrf = (): string =>
  `${doctype('cvrfdoc')}<cvrfdoc xmlns="http://www.icasi.org/CVRF/schema/cvrf/1.1"><DocumentTitle>${TRAPS}</DocumentTitle>
<DocumentTracking><Identification><ID>2024-Sep</ID></Identification><CurrentReleaseDate>2024-09-10T07:00:00Z</CurrentReleaseDate><InitialReleaseDate>2024-09-10T07:00:00Z</InitialReleaseDate></DocumentTracking>
<Vulnerability xmlns="http://www.icasi.org/CVRF/schema/vuln/1.1"><Title>${TRAPS}</Title><CVE>CVE-2024-0001</CVE></Vulnerability></cvrfdoc>`;
const html = (): string => `${doctype('html').replace('<?xml version="1.0"?>\n', '')}<html><body><h1 class="t">${TRAPS}</h1><p class="d">2024-09-10</p><p class="s">${TRAPS} CVE-2024-0002</p></body></html>`;

/** Each kind, its hostile document(s) and its source config. */
const refused = (cause: RegExp) => (run: HostileRun): Promise<void> => Promise.resolve(expectRefused(run.report('hostile'), 'PARSE_INVALID', cause));
const cases: { kind: string; make: () => Record<string, string>; source: (id: string) => Record<string, unknown>; outcome: (run: HostileRun) => Promise<void> }[] = [
  // sax (under rss-parser) knows no DTD: an entity it was not built with is an error, never a lookup.
  { kind: 'rss', make: () => ({ '/feed': rss() }), source: (id) => ({ id, kind: 'rss', url: `${server.url}/feed` }), outcome: refused(/not a valid RSS\/Atom document: Invalid character entity/) },
  { kind: 'rss (atom)', make: () => ({ '/atom': atom() }), source: (id) => ({ id, kind: 'rss', url: `${server.url}/atom` }), outcome: refused(/not a valid RSS\/Atom document: Invalid character entity/) },
  {
    kind: 'cvrf',
    make: () => ({
      '/updates': JSON.stringify({ value: [{ ID: '2024-Sep', Alias: '2024-Sep', CurrentReleaseDate: '2024-09-10T07:00:00Z', InitialReleaseDate: '2024-09-10T07:00:00Z', CvrfUrl: `${server.url}/cvrf/2024-Sep` }] }),
      '/cvrf/2024-Sep': cvrf(),
    }),
    source: (id) => ({ id, kind: 'cvrf', url: `${server.url}/updates`, since: '2024-01' }),
    outcome: refused(/^hostile: not well-formed XML: a DOCTYPE with an internal subset \(entity declarations\) is refused/),
  },
  {
    kind: 'html',
    make: () => ({ '/page.html': html() }),
    source: (id) => ({ id, kind: 'html', url: `${server.url}/page.html`, vendor: 'Example', fields: { title: 'h1.t', date: 'p.d', summary: 'p.s', cves: 'p.s' } }),
    // An HTML parser has no DTD: the references stay as the literal text they are.
    outcome: async (run) => {
      expect(run.report('hostile')).toMatchObject({ status: 'ok', advisories: { new: 1 } });
      const [stored] = await run.app.store.listAdvisories({ sourceId: 'hostile' });
      expect(stored?.advisory.title).toBe(TRAPS);
    },
  },
];

describe.each(cases)('XML entities in a $kind source', ({ make, source, outcome }) => {
  it('expand nothing, read no file, fetch no URL; the source fails by name or stores the literal text', async () => {
    for (const [path, body] of Object.entries(make())) served.set(path, body);
    const before = server.requests.length;
    const run = await hostileCycle([source('hostile')]);
    runs.push(run);
    const report = run.report('hostile');
    await outcome(run);
    expect(server.requests.slice(before).filter((r) => r.url.startsWith('/xxe'))).toEqual([]);
    const stored = await run.storedText();
    expect(stored).not.toContain(MARKER);
    expect(stored).not.toContain('lollollol');
    expect(JSON.stringify(report)).not.toContain(MARKER);
  });
});
