import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ParseError } from '../../src/errors.js';
import type { RawDocument } from '../../src/model/raw-document.js';
import { normalizeAdvisory } from '../../src/normalize/normalize.js';
import { detectFormat, parseOsv } from '../../src/parse/index.js';
import { corpus, corpusDocument, corpusPath, CORPUS_FETCHED_AT } from '../helpers/corpus.js';

// Every OSV record of the corpus; expectations come from the raw JSON read here.
const RECORDS = ['github-advisory-database', 'go-vulndb', 'osv-schema-testdata'].flatMap((dir) =>
  readdirSync(corpusPath(`osv/${dir}`))
    .filter((f) => f.endsWith('.json'))
    .map((f) => `osv/${dir}/${f}`),
);

interface RawEvent { introduced?: string; fixed?: string; last_affected?: string; limit?: string }
interface RawRecord {
  id: string;
  modified: string;
  published?: string;
  aliases?: string[];
  related?: string[];
  summary?: string;
  severity?: { type: string; score: string }[];
  affected?: { package?: { ecosystem: string; name: string; purl?: string }; versions?: string[]; ranges?: { type: string; repo?: string; events: RawEvent[] }[] }[];
  database_specific?: { severity?: string };
}

const raw = (rel: string): RawRecord => JSON.parse(corpus(rel).toString('utf8')) as RawRecord;
const osvDoc = (rel: string): RawDocument => corpusDocument(rel, { sourceId: 'osv', sourceKind: 'osv' });
const inline = (json: string): RawDocument => ({
  sourceId: 'osv',
  sourceKind: 'osv',
  url: 'https://example.invalid/osv.json',
  body: new TextEncoder().encode(json),
  fetchedAt: CORPUS_FETCHED_AT,
});

describe.each(RECORDS)('parseOsv on the real record %s', (rel) => {
  const r = raw(rel);

  it('gives one advisory osv:<id> with CVE ids in cves, other aliases kept, and dates in UTC', async () => {
    expect(detectFormat(corpus(rel))).toBe('osv');
    const [a, ...rest] = await parseOsv(osvDoc(rel));
    expect(rest).toEqual([]);
    expect(a?.id).toBe(`osv:${r.id}`);
    const ids = [r.id, ...(r.aliases ?? []), ...(r.related ?? [])];
    expect(a?.cves).toEqual([...new Set(ids.filter((x) => x.startsWith('CVE-')))]);
    expect(a?.aliases).toEqual((r.aliases ?? []).filter((x) => !x.startsWith('CVE-')));
    expect(a?.published).toBe(new Date(r.published ?? r.modified).toISOString());
    expect(Date.parse(a!.modified)).toBeGreaterThanOrEqual(Date.parse(a!.published));
    expect(a?.vendorSeverity).toBe(r.database_specific?.severity);
  });

  it('keeps each affected package with ecosystem, purl, versions and its ranges event by event', async () => {
    const [a] = await parseOsv(osvDoc(rel));
    expect(a?.products).toHaveLength(r.affected?.length ?? 0);
    a?.products.forEach((p, i) => {
      const want = r.affected![i]!;
      expect(p.ecosystem).toBe(want.package?.ecosystem);
      expect(p.product).toBe(want.package?.name ?? want.ranges?.[0]?.repo);
      expect(p.purl).toBe(want.package?.purl);
      expect(p.versions).toEqual(want.versions?.length ? want.versions : undefined);
      expect(p.osvRanges ?? []).toEqual((want.ranges ?? []).map((g) => ({ type: g.type, ...(g.repo ? { repo: g.repo } : {}), events: g.events })));
      const fixed = (want.ranges ?? []).filter((g) => g.type !== 'GIT').flatMap((g) => g.events.flatMap((e) => (e.fixed ? [e.fixed] : [])));
      expect(p.fixed ?? []).toEqual([...new Set(fixed)]);
    });
  });

  it('keeps the CVSS vectors of severity[]', async () => {
    const [a] = await parseOsv(osvDoc(rel));
    expect(a?.cvss.map((c) => c.vector)).toEqual((r.severity ?? []).filter((s) => s.type.startsWith('CVSS_')).map((s) => s.score));
  });
});

describe('parseOsv details', () => {
  it('scores CVSS vectors (reference scores from the FIRST calculator) and rates by the GHSA word first', async () => {
    const [ghsa] = await parseOsv(osvDoc('osv/github-advisory-database/GHSA-9v2f-6vcg-3hgv.json'));
    expect(ghsa?.cvss).toEqual([{ version: '3.1', score: 9.8, vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }]);
    expect(normalizeAdvisory(ghsa!)).toMatchObject({ severity: 'critical', severitySource: 'vendor' });
    const [rhsa] = await parseOsv(osvDoc('osv/osv-schema-testdata/RHSA-2022_0216.json'));
    expect(rhsa?.cvss[0]?.score).toBe(8.1);
    expect(normalizeAdvisory(rhsa!)).toMatchObject({ severity: 'important', severitySource: 'cvss' });
    const [graylog] = await parseOsv(osvDoc('osv/osv-schema-testdata/CVE-2023-41045.json'));
    expect(graylog?.cvss[0]?.score).toBe(5.3);
    const [go] = await parseOsv(osvDoc('osv/go-vulndb/GO-2022-0969.json'));
    expect(normalizeAdvisory(go!)).toMatchObject({ severity: 'none', severitySource: 'policy' });
    expect(go?.products[0]?.ranges).toEqual(['SEMVER >=0 <1.18.6', 'SEMVER >=1.19.0-0 <1.19.1']);
    // Go's vulndb writes modified 0001-01-01: taken as "not given", so modified = published.
    expect(go?.modified).toBe(go?.published);
  });

  it('titles a record without summary by the start of its details, cut at a word', async () => {
    const details = (JSON.parse(corpus('osv/osv-schema-testdata/PYSEC-2023-74.json').toString('utf8')) as { details: string }).details;
    const [a] = await parseOsv(osvDoc('osv/osv-schema-testdata/PYSEC-2023-74.json'));
    expect(a?.title.length).toBeLessThanOrEqual(161);
    expect(a?.title.endsWith('…')).toBe(true);
    expect(details.startsWith(a!.title.slice(0, -1))).toBe(true);
    expect(details[a!.title.length - 1]).toBe(' ');
    expect(a?.summary).toBe(details.trim());
  });

  it('parses the linter-modified GHSA record and keeps its bogus version "4.36.-1" verbatim', async () => {
    const [a] = await parseOsv(osvDoc('osv/osv-schema-testdata/GHSA-9v2f-6vcg-3hgv.linter-modified.json'));
    expect(a?.products[0]?.versions).toEqual(['4.36.1', '4.36.-1']);
    const [pristine] = await parseOsv(osvDoc('osv/github-advisory-database/GHSA-9v2f-6vcg-3hgv.json'));
    expect({ ...a, products: [] }).toEqual({ ...pristine, products: [] });
  });

  it('reads a JSON array of records as one advisory each, in order', async () => {
    const array = `[${RECORDS.map((rel) => corpus(rel).toString('utf8')).join(',')}]`;
    expect(detectFormat(new TextEncoder().encode(array))).toBe('osv');
    const got = await parseOsv(inline(array));
    expect(got.map((a) => a.id)).toEqual(RECORDS.map((rel) => `osv:${raw(rel).id}`));
  });

  it('rejects bad input with a ParseError naming the record and the place', async () => {
    const fail = async (json: string): Promise<string> => {
      const err: unknown = await parseOsv(inline(json)).then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(ParseError);
      return (err as ParseError).message;
    };
    expect(await fail('{"id": "X-1", "modified": ')).toMatch(/^invalid JSON/);
    expect(await fail('{"modified": "2024-01-01T00:00:00Z"}')).toMatch(/^not an OSV record: \.id: /);
    expect(await fail('[{"id":"A-1","modified":"2024-01-01T00:00:00Z"},{"id":"B-2","modified":"2024-01-01T00:00:00Z","affected":[{"ranges":[{"type":"SEMVER"}]}]}]')).toMatch(
      /^not an OSV record B-2: \[1\]\.affected\[0\]\.ranges\[0\]\.events: /,
    );
    expect(await fail('{"id":"C-3","modified":"yesterday"}')).toBe('OSV record C-3: modified "yesterday" is not an RFC 3339 date');
    expect(await fail('PK\u0003\u0004')).toMatch(/^zip archive: not a readable zip archive/);
  });
});
