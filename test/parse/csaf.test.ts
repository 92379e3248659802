import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ParseError } from '../../src/errors.js';
import { normalizeAdvisory } from '../../src/normalize/normalize.js';
import { detectFormat, parseCsaf } from '../../src/parse/index.js';
import { corpus, corpusDocument, corpusPath } from '../helpers/corpus.js';

// Every CSAF document copied from the corpus; expectations are computed here from the raw JSON,
// independently of the parser (CSAF 2.0 §3.2).

interface RawCsaf {
  document: {
    title: string;
    tracking: { id: string; version: string; current_release_date: string };
    aggregate_severity?: { text: string };
    distribution?: { tlp?: { label: string } };
    publisher: { namespace: string };
  };
  product_tree?: unknown;
  vulnerabilities?: { cve?: string; scores?: { cvss_v3?: { baseScore: number; vectorString: string } }[] }[];
}

function csafFiles(dir = corpusPath('csaf')): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return csafFiles(path);
    return name.endsWith('.json') && !/feed|provider-metadata|service/.test(name) ? [relative(join(corpusPath('csaf'), '..'), path)] : [];
  });
}

const WORDS: Record<string, string> = { critical: 'critical', important: 'important', high: 'important', moderate: 'moderate', medium: 'moderate', low: 'low' };
const band = (s: number): string => (s >= 9 ? 'critical' : s >= 7 ? 'important' : s >= 4 ? 'moderate' : s > 0 ? 'low' : 'none');

const FILES = csafFiles();

describe('parseCsaf on every CSAF document of the corpus', () => {
  it('finds the documents (15 of them: CISA IT and OT, gocsaf, Red Hat, tampered copies)', () => {
    expect(FILES).toHaveLength(15);
  });

  it.each(FILES)('%s', async (rel) => {
    const raw = JSON.parse(corpus(rel).toString('utf8')) as RawCsaf;
    expect(detectFormat(corpus(rel))).toBe('csaf');
    const parsed = await parseCsaf(corpusDocument(rel, { sourceId: 'corpus', sourceKind: 'csaf' }));
    expect(parsed).toHaveLength(1);
    const a = normalizeAdvisory(parsed[0]!);
    const host = new URL(raw.document.publisher.namespace).hostname.replace(/^www\./, '').split('.')[0];
    expect(a.id).toBe(`csaf:${host}:${raw.document.tracking.id.toLowerCase()}`);
    expect(a.title).toBe(raw.document.title);
    expect(a.vendorRevision).toBe(raw.document.tracking.version);
    expect(a.tlp).toBe(raw.document.distribution?.tlp?.label);
    expect(a.modified).toBe(new Date(raw.document.tracking.current_release_date).toISOString());
    const cves = [...new Set((raw.vulnerabilities ?? []).flatMap((v) => (v.cve ? [v.cve] : [])))].sort();
    expect(a.cves).toEqual(cves);
    const scores = (raw.vulnerabilities ?? []).flatMap((v) => (v.scores ?? []).flatMap((s) => (s.cvss_v3 ? [s.cvss_v3] : [])));
    const word = raw.document.aggregate_severity?.text;
    if (word) expect([a.severity, a.severitySource]).toEqual([WORDS[word.toLowerCase()], 'vendor']);
    else if (scores.length > 0) expect([a.severity, a.severitySource]).toEqual([band(Math.max(...scores.map((s) => s.baseScore))), 'cvss']);
    else expect(a.severitySource).toBe('policy');
    for (const s of scores) expect(a.cvss).toContainEqual(expect.objectContaining({ score: s.baseScore, vector: s.vectorString }));
    expect(a.products.length).toBeGreaterThan(0);
    expect(a.signature).toEqual({ status: 'not-checked' });
  });
});

describe('what a CSAF advisory carries', () => {
  it('Red Hat RHSA-2024:4546: vendor word Important, purls and CPEs from the product tree, the vendor fix', async () => {
    const [p] = await parseCsaf(corpusDocument('csaf/redhat/rhsa-2024_4546.json', { sourceId: 'redhat', sourceKind: 'csaf' }));
    const text = corpus('csaf/redhat/rhsa-2024_4546.json').toString('utf8');
    const purls = [...new Set([...text.matchAll(/"purl": "([^"]+)"/g)].map((m) => m[1]))];
    expect(p!.vendorSeverity).toBe('Important');
    expect(p!.id).toBe('csaf:redhat:rhsa-2024:4546');
    expect(p!.products.flatMap((x) => (x.purl ? [x.purl] : [])).sort()).toEqual(purls.sort());
    expect(p!.products.some((x) => x.cpe === 'cpe:/a:redhat:rhel_aus:8.6::appstream')).toBe(true);
    expect(p!.remediation.url).toBe('https://access.redhat.com/errata/RHSA-2024:4546');
    expect(p!.remediation.fixedVersions).toContain('git-lfs-0:2.13.3-3.el8_6.1.x86_64 as a component of Red Hat Enterprise Linux AppStream AUS (v.8.6)');
  });

  it('CISA VA-24-201-01: vendor_fix url and the fixed versions named by product_status.fixed', async () => {
    const [p] = await parseCsaf(corpusDocument('csaf/cisa/IT/white/2024/va-24-201-01.json', { sourceId: 'cisa', sourceKind: 'csaf' }));
    expect(p!.remediation).toMatchObject({
      url: 'https://github.com/adminerevo/adminerevo/releases/tag/v4.8.4',
      fixedVersions: ['AdminerEvo 4.8.4', 'AdminerEvo 4.8.3'],
    });
    // 4.8.3 is affected by CVE-2023-45195/45196 and the fix for CVE-2023-45197 (product_status per vulnerability).
    expect(p!.products).toContainEqual({ vendor: 'AdminerEvo', product: 'AdminerEvo', ranges: ['4.8.2', '4.8.3'], fixed: ['4.8.4', '4.8.3'] });
    expect(p!.products).toContainEqual({ vendor: 'Adminer', product: 'Adminer', ranges: ['all versions'] });
  });
});

describe('bad CSAF input', () => {
  const doc = (body: string) => ({ sourceId: 'acme', sourceKind: 'csaf' as const, url: 'https://acme.example/a.json', body: Buffer.from(body), fetchedAt: new Date(0) });

  it('names document.tracking when a document has none', async () => {
    const raw = JSON.parse(corpus('csaf/cisa/IT/white/2024/va-24-254-02.json').toString('utf8')) as { document: Record<string, unknown> };
    delete raw.document.tracking;
    const err = await parseCsaf(doc(JSON.stringify(raw))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ParseError);
    expect((err as ParseError).message).toMatch(/^not a CSAF document: document\.tracking: /);
    expect((err as ParseError).where).toBe('document.tracking');
  });

  it('gives line and column of invalid JSON (the malformed CISA feed)', async () => {
    const body = corpus('cisa-rss/cisa-csaf-it-feed-tlp-white.2024-09-10.MALFORMED-as-published.json').toString('utf8');
    await expect(parseCsaf(doc(body))).rejects.toThrow(/invalid JSON at line 48 column 5/);
  });

  it('refuses a ROLIE feed given as a document', async () => {
    await expect(parseCsaf(doc(corpus('csaf/cisa/IT/white/cisa-csaf-it-feed-tlp-white.json').toString('utf8')))).rejects.toThrow(/not a CSAF document: document/);
  });
});
