// Invalid UTF-8 inside a real document of every format, and documents served under a wrong
// Content-Type. Documented outcome: bytes that are not UTF-8 decode to U+FFFD (the document is
// read, the damage is visible in the stored text); the Content-Type is a hint, the bytes decide.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsers, type DocumentFormat } from '../../../src/parse/index.js';
import { corpus } from '../../helpers/corpus.js';
import { startServer, type TestServer } from '../../helpers/http-server.js';
import { hostileCycle, type HostileRun } from './hostile-cycle.js';

const BAD = Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xa0, 0xed, 0xa0, 0x80]); // lone bytes, a broken pair, a surrogate
const REPLACED = '\ufffd';

/** The real document with BAD inserted right after the first occurrence of `after`. */
function damaged(file: string, after: string): Buffer {
  const bytes = corpus(file);
  const at = bytes.indexOf(after);
  if (at < 0) throw new Error(`${after} not in ${file}`);
  return Buffer.concat([bytes.subarray(0, at + after.length), BAD, bytes.subarray(at + after.length)]);
}

const cases: { format: DocumentFormat; file: string; after: string; options?: object }[] = [
  { format: 'kev', file: 'kev/known_exploited_vulnerabilities.2025-08-21.json', after: '"vulnerabilityName": "' },
  { format: 'rss', file: 'vendor-rss/debian/dsa-long.3-item-excerpt.rdf', after: '<title>DSA-6508-1 ' },
  { format: 'csaf', file: 'csaf/cisa/IT/white/2024/va-24-254-02.json', after: '"title": "' },
  { format: 'cvrf', file: 'msrc/cvrf-2007-Jun.xml', after: '<vuln:Title>' },
  { format: 'osv', file: 'osv/go-vulndb/GO-2022-0969.json', after: '"summary": "' },
  { format: 'html', file: 'html/openssl-secadv-txt/20220315.txt', after: '\n\n' },
  { format: 'advance', file: 'advance/nodejs/january-2025-security-releases.2-2025-01-21.final.md', after: 'title: Tuesday' },
  { format: 'mbox', file: 'mail/oss-security/2024-04-08-openssl-security-advisory.eml', after: 'Issue summary: ' },
];

describe.each(cases)('invalid UTF-8 in a $format document', ({ format, file, after }) => {
  it('is read, with U+FFFD where the bytes were', async () => {
    const body = damaged(file, after);
    const read = (bytes: Uint8Array) => parsers[format]({ sourceId: 'utf8', sourceKind: format, url: `hostile:${file}`, body: bytes, fetchedAt: new Date('2026-07-07T00:00:00Z') }, { vendor: 'Debian' });
    const [clean, advisories] = [await read(corpus(file)), await read(body)];
    expect(advisories.length).toBe(clean.length);
    // (The real KEV catalog has a few U+FFFD of its own: count them rather than look for one.)
    const replaced = (a: unknown): number => JSON.stringify(a).split(REPLACED).length - 1;
    expect(replaced(advisories)).toBeGreaterThan(replaced(clean));
  });
});

describe('documents served under a wrong Content-Type', () => {
  let server: TestServer;
  let run: HostileRun;
  const served: Record<string, { type: string; file: string }> = {
    '/kev': { type: 'text/html; charset=iso-8859-1', file: 'kev/known_exploited_vulnerabilities.2025-08-21.json' },
    '/osv': { type: 'image/png', file: 'osv/go-vulndb/GO-2022-0969.json' },
    '/rss': { type: 'application/json', file: 'vendor-rss/debian/dsa-long.3-item-excerpt.rdf' },
    '/advance': { type: 'application/octet-stream', file: 'advance/nodejs/january-2025-security-releases.2-2025-01-21.final.md' },
  };
  beforeAll(async () => {
    server = await startServer((req, res) => {
      const s = served[req.url ?? ''];
      if (!s) return res.writeHead(404).end();
      res.writeHead(200, { 'content-type': s.type }).end(corpus(s.file));
    });
    run = await hostileCycle(Object.keys(served).map((path) => ({ id: `wrong${path.replace('/', '-')}`, kind: path.slice(1), url: `${server.url}${path}` })));
  });
  afterAll(async () => {
    await run.app.close();
    await server.close();
  });

  it.each([
    ['wrong-kev', 1401],
    ['wrong-osv', 1],
    ['wrong-rss', 3],
    ['wrong-advance', 4],
  ])('%s: read by its bytes as the kind configured, %i advisories', (id, count) => {
    expect(run.report(id)).toMatchObject({ status: 'ok', advisories: { new: count } });
  });
});
