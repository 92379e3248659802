// Deeply nested JSON and XML (and their relatives: nested quotes in Markdown, nested multiparts
// in mail) for every parser: a ParseError naming the cause, never a RangeError from a recursion
// that ran out of stack, nor a parse that takes minutes (a 2.4 MB CVRF of open tags once did).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ParseError } from '../../../src/errors.js';
import { parsers, type DocumentFormat } from '../../../src/parse/index.js';
import { startServer, type TestServer } from '../../helpers/http-server.js';
import { expectRefused, hostileCycle, type HostileRun } from './hostile-cycle.js';

const DEPTH = 100_000;
const nest = (open: string, close: string, inner = ''): string => open.repeat(DEPTH) + inner + close.repeat(DEPTH);
const csafHead =
  '{"document":{"category":"csaf_base","csaf_version":"2.0","title":"x","publisher":{"name":"a","category":"vendor","namespace":"https://a.example"},' +
  '"tracking":{"id":"x","version":"1","status":"final","current_release_date":"2024-01-01T00:00:00Z","initial_release_date":"2024-01-01T00:00:00Z","revision_history":[]}},';

const cases: { format: DocumentFormat; what: string; body: string; cause: RegExp }[] = [
  { format: 'kev', what: 'arrays', body: `{"catalogVersion":"1","dateReleased":"2024-01-01T00:00:00Z","count":1,"vulnerabilities":${nest('[', ']')}}`, cause: /not a KEV catalog/ },
  // A CSAF product tree is itself a tree: 1,000 nested branches overflowed the stack in the schema.
  { format: 'csaf', what: 'product-tree branches', body: `${csafHead}"product_tree":{"branches":${'[{"category":"vendor","name":"x","branches":'.repeat(2000)}[]${'}]'.repeat(2000)}}}`, cause: /nested deeper than 256 levels at \.product_tree\.branches/ },
  { format: 'csaf', what: 'arrays', body: `${csafHead}"vulnerabilities":${nest('[', ']')}}`, cause: /nested deeper than 256 levels/ },
  { format: 'osv', what: 'arrays', body: `{"id":"X-1","modified":"2024-01-01T00:00:00Z","affected":${nest('[', ']')}}`, cause: /not an OSV record X-1/ },
  { format: 'cvrf', what: 'JSON arrays', body: `{"DocumentTracking":{},"Vulnerability":${nest('[', ']')}}`, cause: /not a CVRF document/ },
  { format: 'cvrf', what: 'open XML elements', body: `<cvrfdoc>${'<a>'.repeat(400_000)}`, cause: /not well-formed XML: elements nested deeper than 256 levels/ },
  { format: 'cvrf', what: 'closed XML elements', body: `<cvrfdoc>${nest('<a>', '</a>')}</cvrfdoc>`, cause: /not well-formed XML: elements nested deeper than 256 levels/ },
  { format: 'rss', what: 'XML elements', body: `<rss version="2.0"><channel>${nest('<a>', '</a>')}</channel></rss>`, cause: /./ },
  { format: 'html', what: 'div elements', body: nest('<div>', '</div>'), cause: /needs selectors/ },
  { format: 'advance', what: 'Markdown quotes', body: `# Node.js security releases\n${'> '.repeat(DEPTH)}x`, cause: /not a known advance notification/ },
  {
    format: 'mbox',
    what: 'multipart parts',
    body: `From a@b Mon Apr  8 13:59:33 2024\nSubject: x\nContent-Type: multipart/mixed; boundary=a\n\n${'--a\nContent-Type: multipart/mixed; boundary=a\n\n'.repeat(5000)}`,
    cause: /broken MIME structure/,
  },
];

describe.each(cases)('$format parser, $what nested deeply', ({ format, body, cause }) => {
  it('throws a ParseError naming the cause', async () => {
    const doc = { sourceId: 'deep', sourceKind: format, url: `hostile:${format}`, body: new TextEncoder().encode(body), fetchedAt: new Date('2026-07-07T00:00:00Z') };
    const outcome = await parsers[format](doc, {}).then(
      (advisories) => ({ advisories }),
      (err: unknown) => ({ err }),
    );
    // rss-parser reads the nesting fine and the feed simply has no items: a documented safe outcome.
    if (format === 'rss') return expect(outcome).toEqual({ advisories: [] });
    expect('err' in outcome && outcome.err).toBeInstanceOf(ParseError);
    const err = (outcome as { err: ParseError }).err;
    expect(err.format).toBe(format);
    expect(err.message).toMatch(cause);
  });
});

describe('deep nesting through the cycle', () => {
  let server: TestServer;
  const runs: HostileRun[] = [];
  beforeAll(async () => {
    server = await startServer((req, res) => {
      const c = cases.find((x) => req.url === `/${x.format}/${encodeURIComponent(x.what)}`);
      if (!c) return res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'application/json' }).end(c.body);
    });
  });
  afterAll(async () => {
    for (const r of runs) await r.app.close();
    await server.close();
  });

  it('kev and osv sources fail by name with PARSE_INVALID; the neighbour is stored', async () => {
    const run = await hostileCycle([
      { id: 'deep-kev', kind: 'kev', url: `${server.url}/kev/arrays` },
      { id: 'deep-osv', kind: 'osv', url: `${server.url}/osv/arrays` },
    ]);
    runs.push(run);
    expectRefused(run.report('deep-kev'), 'PARSE_INVALID', /not a KEV catalog/);
    expectRefused(run.report('deep-osv'), 'PARSE_INVALID', /not an OSV record X-1/);
  });
});
