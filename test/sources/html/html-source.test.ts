// html sources through the real pipeline (poll → parse → store), served from 127.0.0.1: the
// shipped example configs pointed at a local copy, a list page whose links lead to pages, one
// page that 404s and one whose selectors find nothing — reported by name, the rest still stored.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../../src/app.js';
import { loadConfigFile, resolveConfig } from '../../../src/config/load.js';
import { runCycle, type CycleSummary, type SourceReport } from '../../../src/pipeline/index.js';
import { fixedClock } from '../../../src/util/clock.js';
import { silentLogger } from '../../../src/util/logger.js';
import { corpus } from '../../helpers/corpus.js';
import { startServer, type TestServer } from '../../helpers/http-server.js';

const TXT = ['20220315.txt', '20160922.txt'];
// Hand-written list pages in the shape of openssl.org/news/vulnerabilities.html and a vendor index.
const OPENSSL_LIST = `<html><body><h1>Vulnerabilities</h1><ul>
${TXT.map((f) => `<li><a href="/news/secadv/${f}">${f}</a></li>`).join('\n')}
<li><a href="/news/secadv/19990101.txt">gone</a></li><li><a href="/about.html">About</a></li></ul></body></html>`;
const VENDOR_LIST = `<html><body><table class="advisories"><tr><td><a href="/vendor/good.html">good</a></td></tr><tr><td><a href="/vendor/redesigned.html">new layout</a></td></tr></table></body></html>`;
const GOOD = `<html><body><h1 class="title">Widget &amp; Co: remote code execution</h1><span class="date">2024-05-01</span><p class="sev">High</p><p class="cves">CVE-2024-0001</p></body></html>`;
const REDESIGNED = `<html><body><div class="hero"><h2>Widget: denial of service</h2></div></body></html>`;

let server: TestServer;
let app: App;
let dir: string;
let listVersion = 1;
const report = (s: CycleSummary, id: string): SourceReport | undefined => s.sources.find((r) => r.sourceId === id);

function send(res: ServerResponse, req: IncomingMessage, body: string | Buffer, type: string): void {
  const etag = `"${createHash('sha256').update(body).digest('hex').slice(0, 16)}"`;
  if (req.headers['if-none-match'] === etag) return void res.writeHead(304, { etag }).end();
  res.writeHead(200, { etag, 'content-type': type }).end(body);
}

beforeAll(async () => {
  server = await startServer((req, res) => {
    const url = req.url ?? '';
    if (url === '/news/vulnerabilities.html') return send(res, req, `${OPENSSL_LIST}<!-- v${listVersion} -->`, 'text/html; charset=utf-8');
    const txt = /^\/news\/secadv\/(\d+\.txt)$/.exec(url)?.[1];
    if (txt && TXT.includes(txt)) return send(res, req, corpus(`html/openssl-secadv-txt/${txt}`), 'text/plain; charset=utf-8');
    if (url === '/msrc/Bulletin-2017-Jan.html') return send(res, req, corpus('html/msrc-bulletin/Bulletin-2017-Jan.html'), 'text/html');
    if (url === '/vendor/index.html') return send(res, req, VENDOR_LIST, 'text/html');
    if (url === '/vendor/good.html') return send(res, req, GOOD, 'text/html');
    if (url === '/vendor/redesigned.html') return send(res, req, REDESIGNED, 'text/html');
    if (url === '/empty.html') return send(res, req, '<html><body><p>No links here</p></body></html>', 'text/html');
    res.writeHead(404).end();
  });
  dir = mkdtempSync(join(tmpdir(), 'secwatch-html-'));
  const example = (file: string) => loadConfigFile(file).sources[0]!;
  const config = resolveConfig(
    {
      dataDir: dir,
      sources: [
        { ...example('config/examples/html-openssl-secadv.yaml'), url: `${server.url}/news/vulnerabilities.html` },
        { ...example('config/examples/html-msrc-bulletin.yaml'), url: `${server.url}/msrc/Bulletin-2017-Jan.html` },
        {
          id: 'vendor',
          kind: 'html',
          url: `${server.url}/vendor/index.html`,
          links: 'table.advisories a',
          fields: { title: 'h1.title', date: '.date', severity: '.sev', cves: '.cves' },
        },
        { id: 'empty', kind: 'html', url: `${server.url}/empty.html`, links: 'a.advisory' },
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

describe('html sources in a cycle', () => {
  it('stores what the pages say, reports each page that failed by name, and keeps the other sources going', async () => {
    const cves = TXT.flatMap((f) => [...corpus(`html/openssl-secadv-txt/${f}`).toString('utf8').matchAll(/^.*\((CVE-\d{4}-\d+)\)\n=+$/gm)].map((m) => m[1]!));
    const first = await runCycle(app);

    const openssl = report(first, 'openssl-secadv');
    expect(openssl).toMatchObject({ status: 'ok', documents: 2, advisories: { new: cves.length } });
    expect(openssl?.status === 'ok' && openssl.problems?.join('\n')).toMatch(/openssl-secadv: http:\/\/127\.0\.0\.1:\d+\/news\/secadv\/19990101\.txt: .*404/);
    const stored = await app.store.listAdvisories({ sourceId: 'openssl-secadv' });
    expect(stored.map((s) => s.advisory.cves[0]).sort()).toEqual([...cves].sort());

    const tocIds = [...corpus('html/msrc-bulletin/Bulletin-2017-Jan.html').toString('utf8').matchAll(/<td><a href="#([^"]+)">/g)].map((m) => `msrc:${m[1]!}`);
    expect(report(first, 'msrc-bulletins')).toMatchObject({ status: 'ok', documents: 1, advisories: { new: tocIds.length } });
    expect((await app.store.listAdvisories({ sourceId: 'msrc-bulletins' })).map((s) => s.advisory.id).sort()).toEqual(tocIds.sort());

    const vendor = report(first, 'vendor');
    expect(vendor).toMatchObject({ status: 'ok', documents: 2, advisories: { new: 1 } });
    // Source and page named once each (the parser names the page, the pipeline adds the source).
    expect(vendor?.status === 'ok' && vendor.problems).toEqual([expect.stringMatching(/^vendor: http:\/\/127\.0\.0\.1:\d+\/vendor\/redesigned\.html: selector "h1\.title" for title matched nothing$/)]);
    const [good] = await app.store.listAdvisories({ sourceId: 'vendor' });
    expect(good?.advisory).toMatchObject({ title: 'Widget & Co: remote code execution', severity: 'important', cves: ['CVE-2024-0001'] });

    const empty = report(first, 'empty');
    expect(empty).toMatchObject({ status: 'error' });
    expect(empty?.status === 'error' && empty.error).toMatch(/^empty: http:\/\/127\.0\.0\.1:\d+\/\S+: links selector "a\.advisory" matched no link$/);
  });

  it('fetches nothing again while the pages are unchanged, and only the list page when only it changed', async () => {
    const second = await runCycle(app);
    expect(report(second, 'openssl-secadv')).toEqual({ sourceId: 'openssl-secadv', status: 'not-modified' });
    expect(report(second, 'msrc-bulletins')).toEqual({ sourceId: 'msrc-bulletins', status: 'not-modified' });

    listVersion = 2;
    const before = server.requests.length;
    const third = await runCycle(app);
    const got = server.requests.slice(before).filter((r) => r.url.startsWith('/news/'));
    // The list page is new; each advisory page is asked for with its validator and answers 304.
    expect(got.filter((r) => r.url.endsWith('.txt') && !r.url.includes('19990101')).every((r) => r.headers['if-none-match'] !== undefined)).toBe(true);
    const openssl = report(third, 'openssl-secadv');
    expect(openssl?.status === 'ok' ? openssl.documents : 0).toBe(0);
  });
});
