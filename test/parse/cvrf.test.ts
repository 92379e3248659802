import { describe, expect, it } from 'vitest';
import { ParseError } from '../../src/errors.js';
import type { ParsedAdvisory } from '../../src/model/advisory.js';
import type { RawDocument } from '../../src/model/raw-document.js';
import { normalizeAdvisory } from '../../src/normalize/normalize.js';
import { detectFormat, parseCvrf } from '../../src/parse/index.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { corpus, corpusDocument, CORPUS_FETCHED_AT } from '../helpers/corpus.js';

// Expectations are derived from the raw XML with regular expressions over the text (not through
// the parser's element tree), so a parser bug cannot produce its own expected values.

const MONTHS = ['msrc/cvrf-2007-Jun.xml', 'msrc/cvrf-2017-Mar.xml', 'msrc/cvrf-2023-Jan.xml', 'msrc/cvrf-2025-Jan.xml'];
const RANK: Record<string, number> = { Low: 1, Moderate: 2, Important: 3, Critical: 4 };

interface Expected {
  cve: string;
  severity?: string;
  exploited?: boolean;
  disclosed?: boolean;
  productIds: string[];
  kbs: string[];
  vectors: string[];
  revisionDates: string[];
}

function blocks(xml: string, tag: string): string[] {
  return [...xml.matchAll(new RegExp(`<${tag}[\\s>][\\s\\S]*?</${tag}>`, 'g'))].map((m) => m[0]);
}
const texts = (xml: string, tag: string): string[] => [...xml.matchAll(new RegExp(`<${tag}>([^<]*)</${tag}>`, 'g'))].map((m) => m[1]!.trim());

function expectedFrom(xml: string): Expected[] {
  return blocks(xml, 'vuln:Vulnerability').map((v) => {
    const severities = [...v.matchAll(/<vuln:Threat\s+Type="Severity">\s*<vuln:Description>([^<]*)<\/vuln:Description>/g)].map((m) => m[1]!);
    const best = severities.filter((s) => RANK[s] !== undefined).sort((a, b) => RANK[b]! - RANK[a]!)[0];
    const status = /<vuln:Threat\s+Type="Exploit Status">\s*<vuln:Description>([^<]*)</.exec(v)?.[1];
    const statuses = blocks(v, 'vuln:ProductStatuses').join('');
    const fixes = [...v.matchAll(/<vuln:Remediation\s+Type="Vendor Fix">([\s\S]*?)<\/vuln:Remediation>/g)].map((m) => m[1]!);
    const history = blocks(v, 'vuln:RevisionHistory').join('');
    return {
      cve: texts(v, 'vuln:CVE')[0]!,
      ...(best === undefined ? {} : { severity: best }),
      // A status that does not mention a flag ("DOS:N/A" alone, in 2023-Jan) leaves it unknown.
      ...(status?.includes('Exploited:') ? { exploited: /Exploited:Yes/.test(status) } : {}),
      ...(status?.includes('Publicly Disclosed:') ? { disclosed: /Publicly Disclosed:Yes/.test(status) } : {}),
      productIds: [...new Set(texts(statuses, 'vuln:ProductID'))],
      kbs: [...new Set(fixes.flatMap((f) => texts(f, 'vuln:Description').filter((d) => /^\d+$/.test(d)).map((d) => `KB${d}`)))],
      vectors: [...new Set(texts(v, 'vuln:Vector'))],
      revisionDates: texts(history, 'cvrf:Date'),
    };
  });
}

function productNames(xml: string): Map<string, string> {
  const names = new Map<string, string>();
  for (const m of xml.matchAll(/<prod:FullProductName\s+ProductID="([^"]+)"[^>]*>([^<]*)</g)) names.set(m[1]!, m[2]!.trim());
  return names;
}

const cvrfDoc = (rel: string): RawDocument => corpusDocument(rel, { sourceId: 'msrc', sourceKind: 'cvrf' });
const inline = (xml: string): RawDocument => ({
  sourceId: 'msrc',
  sourceKind: 'cvrf',
  url: 'https://example.invalid/cvrf.xml',
  body: new TextEncoder().encode(xml),
  fetchedAt: CORPUS_FETCHED_AT,
});
const utc = (d: string): string => new Date(`${d}Z`).toISOString();

describe.each(MONTHS)('parseCvrf on the real MSRC document %s', (rel) => {
  const xml = corpus(rel).toString('utf8');
  const expected = expectedFrom(xml);
  const names = productNames(xml);
  let parsed: ParsedAdvisory[] | undefined;
  const advisories = async (): Promise<ParsedAdvisory[]> => (parsed ??= await parseCvrf(cvrfDoc(rel)));

  it('is recognised by --format auto', () => {
    expect(detectFormat(corpus(rel))).toBe('cvrf');
  });

  it('gives one advisory per vulnerability, keyed msrc:<CVE>, with the highest vendor rating', async () => {
    const got = await advisories();
    expect(expected.length).toBeGreaterThan(0);
    expect(got.map((a) => a.id)).toEqual(expected.map((e) => `msrc:${e.cve}`));
    got.forEach((a, i) => {
      const e = expected[i]!;
      expect(a.vendorSeverity, e.cve).toBe(e.severity);
      expect(a.cves).toEqual(/^CVE-/.test(e.cve) ? [e.cve] : []);
      expect(a.source).toEqual({ kind: 'cvrf', id: 'msrc' });
    });
  });

  it('keeps every affected product by name, each with its own rating and the KBs of its Vendor Fix', async () => {
    const got = await advisories();
    got.forEach((a, i) => {
      const e = expected[i]!;
      expect(a.products.map((p) => p.product)).toEqual(e.productIds.map((id) => names.get(id)));
      // No product is rated above the advisory, and the advisory's rating is some product's.
      const ranks = a.products.flatMap((p) => (p.severity === undefined ? [] : [RANK[p.severity]!]));
      if (e.severity !== undefined) expect(Math.max(...ranks)).toBe(RANK[e.severity]);
      expect(a.remediation.kbs ?? []).toEqual(e.kbs);
      for (const p of a.products) if (p.kb !== undefined) expect(e.kbs).toContain(p.kb);
    });
  });

  it('takes exploitation flags from the Exploit Status threat and keeps the distinct CVSS sets', async () => {
    const got = await advisories();
    got.forEach((a, i) => {
      const e = expected[i]!;
      expect(a.exploited.exploited).toBe(e.exploited);
      expect(a.exploited.publiclyDisclosed).toBe(e.disclosed);
      expect(a.cvss.map((c) => c.vector).sort()).toEqual([...e.vectors].sort());
      for (const c of a.cvss) expect(c.version).toBe(/^CVSS:(\d\.\d)/.exec(c.vector!)?.[1]);
    });
  });

  it("dates each CVE by its own revision history: first revision published, latest modified", async () => {
    const got = await advisories();
    got.forEach((a, i) => {
      const dates = expected[i]!.revisionDates.map(utc).sort();
      expect(a.published).toBe(dates[0]);
      expect(a.modified).toBe(dates.at(-1));
    });
  });
});

describe('parseCvrf on particular documents', () => {
  it('reads the Mariner release notes filed as 2007-Jun: fixed builds per product, CPEs, no KB', async () => {
    const [a, ...rest] = await parseCvrf(cvrfDoc('msrc/cvrf-2007-Jun.xml'));
    expect(rest).toEqual([]);
    expect(a?.id).toBe('msrc:CVE-2007-3205');
    expect(a?.products).toEqual([
      { vendor: 'Microsoft', product: 'cbl2 php 8.1.32-1 on CBL Mariner 2.0', cpe: 'cpe:2.3:a:microsoft:cbl2_php_8.1.32-1:*:*:*:*:*:*:*:*', fixed: ['8.1.32-1'], severity: 'Moderate' },
      { vendor: 'Microsoft', product: 'cbl2 php 7.4.14-3 on CBL Mariner 2.0', cpe: 'cpe:2.3:a:microsoft:cbl2_php_7.4.14-3:*:*:*:*:*:*:*:*', fixed: ['7.4.14-3'], severity: 'Moderate' },
    ]);
    expect(a?.remediation.kbs).toBeUndefined();
  });

  it('reads 2017-Mar: an ADV advisory is an alias not a CVE, and "MS16-110, 3187754" supersedence splits', async () => {
    const got = await parseCvrf(cvrfDoc('msrc/cvrf-2017-Mar.xml'));
    const adv = got.filter((a) => !a.id.startsWith('msrc:CVE-'));
    expect(adv.map((a) => a.id)).toEqual(['msrc:ADV170003']);
    expect(adv[0]?.cves).toEqual([]);
    expect(adv[0]?.aliases).toEqual(['ADV170003']);
    const smb = got.find((a) => a.id === 'msrc:CVE-2017-0143');
    expect(smb?.vendorSeverity).toBe('Critical');
    expect(smb?.remediation.supersedence).toContainEqual({ kb: 'KB4012606', replaces: ['KB3210720'] });
    const xml = corpus('msrc/cvrf-2017-Mar.xml').toString('utf8');
    const withBulletin = got.filter((a) => a.remediation.supersedes?.includes('MS16-110'));
    // Every CVE whose XML names MS16-110 in a Supercedence says so, with the KB beside it.
    const expectedCves = expectedFrom(xml).filter((_, i) => /<vuln:Supercedence>MS16-110, 3187754</.test(blocks(xml, 'vuln:Vulnerability')[i]!));
    expect(withBulletin.map((a) => a.id)).toEqual(expectedCves.map((e) => `msrc:${e.cve}`));
    for (const a of withBulletin) expect(a.remediation.supersedes).toContain('KB3187754');
  });

  it('parses the 6.8 MB 2025-Jan month (time reported, not asserted)', async () => {
    const doc = cvrfDoc('msrc/cvrf-2025-Jan.xml');
    const started = performance.now();
    const got = await parseCvrf(doc);
    const ms = performance.now() - started;
    console.info(`parseCvrf 2025-Jan (${doc.body.length} bytes): ${got.length} advisories in ${ms.toFixed(0)} ms`);
    const exploited = got.filter((a) => a.exploited.exploited === true).map((a) => a.id);
    expect(exploited).toEqual(expectedFrom(corpus('msrc/cvrf-2025-Jan.xml').toString('utf8')).filter((e) => e.exploited).map((e) => `msrc:${e.cve}`));
    expect(exploited.length).toBeGreaterThan(0);
  });

  it('updates the same item when a CVE is re-released (new revision): no duplicate, the store revises it', async () => {
    const xml = corpus('msrc/cvrf-2007-Jun.xml').toString('utf8');
    const rereleased = xml
      .replace('</vuln:RevisionHistory>', '<vuln:Revision><cvrf:Number>2.0</cvrf:Number><cvrf:Date>2025-11-11T08:00:00</cvrf:Date><cvrf:Description>Severity raised</cvrf:Description></vuln:Revision></vuln:RevisionHistory>')
      .replaceAll('<vuln:Description>Moderate</vuln:Description>', '<vuln:Description>Important</vuln:Description>');
    const [first] = await parseCvrf(inline(xml));
    const [second] = await parseCvrf(inline(rereleased));
    expect(second?.id).toBe(first?.id);
    expect(second?.modified).toBe('2025-11-11T08:00:00.000Z');
    expect(second?.published).toBe(first?.published);
    const store = openSqliteStore(':memory:');
    try {
      const [a] = await store.upsertAdvisories([normalizeAdvisory(first!)], CORPUS_FETCHED_AT);
      const [b] = await store.upsertAdvisories([normalizeAdvisory(second!)], CORPUS_FETCHED_AT);
      expect([a?.status, b?.status]).toEqual(['new', 'revised']);
      expect(b?.advisory).toMatchObject({ id: 'msrc:CVE-2007-3205', revision: 2, severity: 'important' });
      expect(await store.listAdvisories()).toHaveLength(1);
    } finally {
      await store.close();
    }
  });
});

describe('parseCvrf on bad input', () => {
  const parseError = async (doc: RawDocument): Promise<ParseError> => {
    const err: unknown = await parseCvrf(doc).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(ParseError);
    return err as ParseError;
  };

  it('rejects a truncated month with the unclosed element and a line', async () => {
    const body = corpus('msrc/cvrf-2023-Jan.xml');
    const err = await parseError({ ...cvrfDoc('msrc/cvrf-2023-Jan.xml'), body: body.subarray(0, Math.floor(body.length / 2)) });
    expect(err.message).toMatch(/^not well-formed XML: unexpected end of document: <[^>]+> is not closed \(line \d+\)$/);
    expect(err.where).toMatch(/^line \d+$/);
  });

  it('rejects a mismatched end tag and a document that is not CVRF', async () => {
    expect((await parseError(inline('<cvrf:cvrfdoc><a><b>x</a></cvrf:cvrfdoc>'))).message).toMatch(/<b> is not closed/);
    // Nothing between the open and the wrong end tag: still a missing end tag, not a self-closing one.
    expect((await parseError(inline('<cvrf:cvrfdoc><a><b></a></cvrf:cvrfdoc>'))).message).toMatch(/<b> is not closed/);
    expect((await parseError(inline('<rss version="2.0"><channel/></rss>'))).message).toBe('not a CVRF document: root element is <rss>, not <cvrf:cvrfdoc>');
    expect((await parseError(inline('<cvrf:cvrfdoc><cvrf:DocumentTitle>x</cvrf:DocumentTitle></cvrf:cvrfdoc>'))).message).toMatch(/Identification\/ID is missing/);
    expect((await parseError(inline('{"DocumentTitle":{"Value":"x"}}'))).message).toMatch(/^not a CVRF document: DocumentTracking\.Identification\.ID\.Value is missing$/);
  });

  it('gives zero advisories for a well-formed CVRF document that lists no vulnerabilities (documented choice)', async () => {
    const xml = corpus('msrc/cvrf-2007-Jun.xml').toString('utf8').replace(/<vuln:Vulnerability[\s\S]*<\/vuln:Vulnerability>/, '');
    expect(xml).not.toContain('Vulnerability');
    await expect(parseCvrf(inline(xml))).resolves.toEqual([]);
  });
});
