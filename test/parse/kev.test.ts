import { describe, expect, it } from 'vitest';
import { ParseError } from '../../src/errors.js';
import type { ParsedAdvisory } from '../../src/model/advisory.js';
import type { RawDocument } from '../../src/model/raw-document.js';
import { detectFormat, parseKev } from '../../src/parse/index.js';
import { corpus, corpusDocument, CORPUS_FETCHED_AT } from '../helpers/corpus.js';

const KEV_0821 = 'kev/known_exploited_vulnerabilities.2025-08-21.json';
const KEV_0825 = 'kev/known_exploited_vulnerabilities.2025-08-25.json';
const MALFORMED = 'cisa-rss/cisa-csaf-it-feed-tlp-white.2024-09-10.MALFORMED-as-published.json';
const ROLIE = 'cisa-rss/cisa-csaf-it-feed-tlp-white.2024-10-03.json';

interface RawEntry {
  cveID: string;
  vendorProject: string;
  product: string;
  vulnerabilityName: string;
  dateAdded: string;
  dueDate: string;
  knownRansomwareCampaignUse?: string;
  notes?: string;
}
interface RawCatalog {
  count: number;
  vulnerabilities: RawEntry[];
}

const rawCatalog = (rel: string): RawCatalog => JSON.parse(corpus(rel).toString('utf8')) as RawCatalog;
const kevDoc = (rel: string): RawDocument => corpusDocument(rel, { sourceId: 'cisa-kev', sourceKind: 'kev' });
const inlineDoc = (json: string): RawDocument => ({
  sourceId: 'cisa-kev',
  sourceKind: 'kev',
  url: 'https://example.invalid/kev.json',
  body: new TextEncoder().encode(json),
  fetchedAt: CORPUS_FETCHED_AT,
});

async function parseError(doc: RawDocument): Promise<ParseError> {
  const err: unknown = await parseKev(doc).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ParseError);
  return err as ParseError;
}

describe.each([KEV_0821, KEV_0825])('parseKev on the real catalog %s', (rel) => {
  const raw = rawCatalog(rel);

  it('gives one advisory per entry, in catalog order, each carrying its entry', async () => {
    const advisories = await parseKev(kevDoc(rel));
    expect(advisories).toHaveLength(raw.count);
    expect(advisories).toHaveLength(raw.vulnerabilities.length);
    advisories.forEach((a, i) => {
      const v = raw.vulnerabilities[i]!;
      expect(a.id).toBe(`kev:${v.cveID}`);
      expect(a.source).toEqual({ kind: 'kev', id: 'cisa-kev' });
      expect(a.title).toBe(v.vulnerabilityName);
      expect(a.url).toBe(`https://nvd.nist.gov/vuln/detail/${v.cveID}`);
      expect(a.cves).toEqual([v.cveID]);
      expect(a.published).toBe(`${v.dateAdded}T00:00:00.000Z`);
      expect(a.exploited.exploited).toBe(true);
      expect(a.exploited.kev?.dueDate).toBe(v.dueDate);
      expect(a.exploited.kev?.dateAdded).toBe(v.dateAdded);
      expect(a.exploited.kev?.ransomware).toBe(v.knownRansomwareCampaignUse === 'Known');
      expect(a.products).toEqual([{ vendor: v.vendorProject, product: v.product }]);
      expect(a).not.toHaveProperty('vendorSeverity');
    });
  });

  it('gives unique ids', async () => {
    const ids = (await parseKev(kevDoc(rel))).map((a) => a.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('takes the remediation link from the notes, never inventing one', async () => {
    const advisories = await parseKev(kevDoc(rel));
    const withUrl = advisories.filter((a) => a.remediation.url !== undefined);
    // Every 2025 entry's notes carry at least one link (checked against the raw JSON here).
    expect(withUrl).toHaveLength(raw.vulnerabilities.filter((v) => /https?:\/\//.test(v.notes ?? '')).length);
    advisories.forEach((a, i) => {
      const notes = raw.vulnerabilities[i]!.notes ?? '';
      const url = a.remediation.url;
      if (url === undefined) return;
      expect(notes).toContain(url);
      expect(url).toMatch(/^https?:\/\/\S+$/);
      expect(url).not.toMatch(/[.,;:]$/);
      if (url.endsWith(')')) expect(url).toContain('(');
    });
    // Two real shapes: a link in parentheses ("ED 21-03 (https://…)") and one with balanced ones.
    const byId = new Map(advisories.map((x) => [x.id, x]));
    expect(byId.get('kev:CVE-2021-22893')?.remediation.url).toBe(
      'https://www.cisa.gov/news-events/directives/ed-21-03-mitigate-pulse-connect-secure-product-vulnerabilities',
    );
    expect(byId.get('kev:CVE-2020-15415')?.remediation.url).toMatch(/\(cve-2020-14472\)$/);
  });

  it('is detected as kev by --format auto', () => {
    expect(detectFormat(corpus(rel))).toBe('kev');
  });
});

describe('parseKev across two consecutive publications', () => {
  it('finds exactly the three entries CISA added on 2025-08-25', async () => {
    const before = new Set((await parseKev(kevDoc(KEV_0821))).map((a) => a.id));
    const after = new Set((await parseKev(kevDoc(KEV_0825))).map((a) => a.id));
    const added = [...after].filter((id) => !before.has(id));
    const removed = [...before].filter((id) => !after.has(id));
    expect(added.sort()).toEqual(['kev:CVE-2024-8068', 'kev:CVE-2024-8069', 'kev:CVE-2025-48384']);
    expect(removed).toEqual([]);

    // Cross-check against the raw JSON, not only our own output.
    const rawBefore = new Set(rawCatalog(KEV_0821).vulnerabilities.map((v) => v.cveID));
    const rawAdded = rawCatalog(KEV_0825).vulnerabilities.filter((v) => !rawBefore.has(v.cveID));
    expect(rawAdded.map((v) => `kev:${v.cveID}`).sort()).toEqual(added.sort());
    expect(rawCatalog(KEV_0825).count - rawCatalog(KEV_0821).count).toBe(added.length);
  });

  it('parses the 1.26 MB catalog well within a poll interval', async () => {
    const doc = kevDoc(KEV_0825);
    const start = performance.now();
    await parseKev(doc);
    // A generous bound that only an accidental O(n²) would break (observed: ~10–40 ms).
    expect(performance.now() - start).toBeLessThan(5000);
  });
});

describe('parseKev on documents that are not a KEV catalog', () => {
  it('reports the line and column of CISA feed published as invalid JSON', async () => {
    const err = await parseError(corpusDocument(MALFORMED, { sourceId: 'cisa', sourceKind: 'kev' }));
    // MANIFEST.md: "Expecting ',' delimiter at line 48 col 5" (Python's json); check the bytes agree.
    const line48 = corpus(MALFORMED).toString('utf8').split('\n')[47]!;
    expect(line48.slice(0, 5)).toBe('    "');
    expect(err.message).toContain('line 48 column 5');
    expect(err.message).toMatch(/^invalid JSON at line 48 column 5: /);
    expect(err.where).toBe('line 48 column 5');
    expect(err.format).toBe('kev');
    expect(err.cause).toBeInstanceOf(SyntaxError);
  });

  it('reports truncated JSON at its end', async () => {
    const err = await parseError(inlineDoc('{\n  "catalogVersion": "1",\n  "count'));
    expect(err.message).toMatch(/^invalid JSON at line 3 column 9: /);
  });

  it('names the first offending path for JSON of another shape (CISA ROLIE feed)', async () => {
    const feed = JSON.parse(corpus(ROLIE).toString('utf8')) as Record<string, unknown>;
    expect(Object.keys(feed)).not.toContain('catalogVersion');
    const err = await parseError(corpusDocument(ROLIE, { sourceId: 'cisa', sourceKind: 'kev' }));
    expect(err.where).toBe('catalogVersion');
    expect(err.message).toContain('catalogVersion: ');
  });

  it('names the entry and field when one entry of a real catalog is broken', async () => {
    const catalog = rawCatalog(KEV_0821);
    catalog.vulnerabilities[12]!.dueDate = '2025-13-45';
    const err = await parseError(inlineDoc(JSON.stringify(catalog)));
    expect(err.where).toBe('vulnerabilities[12].dueDate');
    expect(err.message).toContain('vulnerabilities[12].dueDate: ');
  });

  it('is not detected as kev by --format auto', () => {
    expect(detectFormat(corpus(ROLIE))).toBeUndefined();
    expect(detectFormat(corpus(MALFORMED))).toBeUndefined();
  });
});

describe('parseKev field mapping (inline catalog)', () => {
  const entry = (cveID: string, extra: Record<string, unknown>): Record<string, unknown> => ({
    cveID,
    vendorProject: 'Example',
    product: 'Widget',
    vulnerabilityName: `Example Widget flaw ${cveID}`,
    dateAdded: '2025-01-02',
    shortDescription: 'A flaw.',
    requiredAction: 'Apply updates per vendor instructions.',
    dueDate: '2025-01-23',
    ...extra,
  });
  const catalog = {
    title: 'CISA Catalog of Known Exploited Vulnerabilities',
    catalogVersion: '2025.01.02',
    dateReleased: '2025-01-02T15:00:00.000Z',
    count: 5,
    vulnerabilities: [
      entry('CVE-2025-0001', { knownRansomwareCampaignUse: 'Known', notes: 'https://vendor.example/sa/1 ; https://nvd.nist.gov/vuln/detail/CVE-2025-0001' }),
      entry('CVE-2025-0002', { knownRansomwareCampaignUse: 'Unknown', notes: 'See: https://vendor.example/kb/2. Then patch.' }),
      entry('CVE-2025-0003', { notes: 'Follow ED 99-01 (https://www.cisa.gov/ed-99-01) for guidance.' }),
      entry('CVE-2025-0004', { notes: 'No link here, see ftp://not-http.example/x' }),
      entry('CVE-2025-00005', {}),
    ],
  };

  async function parsed(): Promise<Map<string, ParsedAdvisory>> {
    const advisories = await parseKev(inlineDoc(JSON.stringify(catalog)));
    return new Map(advisories.map((a) => [a.cves[0]!, a]));
  }

  it("maps knownRansomwareCampaignUse 'Known' to true and anything else to false", async () => {
    const byCve = await parsed();
    expect(byCve.get('CVE-2025-0001')?.exploited.kev?.ransomware).toBe(true);
    expect(byCve.get('CVE-2025-0002')?.exploited.kev?.ransomware).toBe(false);
    expect(byCve.get('CVE-2025-0003')?.exploited.kev?.ransomware).toBe(false);
  });

  it('takes the first http(s) link of the notes, without separators or closing punctuation', async () => {
    const byCve = await parsed();
    expect(byCve.get('CVE-2025-0001')?.remediation).toEqual({
      action: 'Apply updates per vendor instructions.',
      url: 'https://vendor.example/sa/1',
    });
    expect(byCve.get('CVE-2025-0002')?.remediation.url).toBe('https://vendor.example/kb/2');
    expect(byCve.get('CVE-2025-0003')?.remediation.url).toBe('https://www.cisa.gov/ed-99-01');
    expect(byCve.get('CVE-2025-0004')?.remediation).toEqual({ action: 'Apply updates per vendor instructions.' });
    expect(byCve.get('CVE-2025-00005')?.remediation).not.toHaveProperty('url');
  });

  it('fills the rest of the advisory as the contract says', async () => {
    const a = (await parsed()).get('CVE-2025-0002')!;
    expect(a).toEqual({
      id: 'kev:CVE-2025-0002',
      kind: 'advisory',
      source: { kind: 'kev', id: 'cisa-kev' },
      title: 'Example Widget flaw CVE-2025-0002',
      url: 'https://nvd.nist.gov/vuln/detail/CVE-2025-0002',
      summary: 'A flaw.',
      published: '2025-01-02T00:00:00.000Z',
      modified: '2025-01-02T00:00:00.000Z',
      cvss: [],
      cves: ['CVE-2025-0002'],
      aliases: [],
      exploited: { exploited: true, kev: { dateAdded: '2025-01-02', dueDate: '2025-01-23', ransomware: false } },
      products: [{ vendor: 'Example', product: 'Widget' }],
      remediation: { action: 'Apply updates per vendor instructions.', url: 'https://vendor.example/kb/2' },
      signature: { status: 'not-checked' },
    });
  });

  it('rejects an entry whose cveID is not a CVE id', async () => {
    const bad = { ...catalog, vulnerabilities: [entry('CVE-25-1', {})] };
    const err = await parseError(inlineDoc(JSON.stringify(bad)));
    expect(err.where).toBe('vulnerabilities[0].cveID');
  });
});

describe('parseKev on the CSV rendition of the catalog', () => {
  const CSV = 'kev/known_exploited_vulnerabilities.2025-08-25.csv';

  it('gives exactly the advisories of the JSON catalog of the same day', async () => {
    const fromCsv = await parseKev(kevDoc(CSV));
    const fromJson = await parseKev(kevDoc(KEV_0825));
    expect(fromCsv).toHaveLength(fromJson.length);
    expect(fromCsv).toEqual(fromJson);
    expect(detectFormat(corpus(CSV))).toBe('kev');
  });

  it('names the missing column or the broken line', async () => {
    const noDue = 'cveID,vendorProject,product,vulnerabilityName,dateAdded,shortDescription,requiredAction\nCVE-2025-0001,A,B,C,2025-01-01,D,E\n';
    const missing = await parseError({ ...kevDoc(CSV), body: Buffer.from(noDue) });
    expect(missing.message).toMatch(/missing column\(s\) dueDate/);
    const ragged = 'cveID,vendorProject,product,vulnerabilityName,dateAdded,shortDescription,requiredAction,dueDate\nCVE-2025-0001,A,B\n';
    const broken = await parseError({ ...kevDoc(CSV), body: Buffer.from(ragged) });
    expect(broken.message).toMatch(/invalid KEV CSV at line 2/);
  });
});
