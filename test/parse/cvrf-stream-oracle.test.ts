// The streaming CVRF reader (src/parse/cvrf/read-xml.ts over xml-stream.ts) and the sped-up
// to-advisory.ts against the code they replaced, kept unchanged under test/parse/cvrf-oracle/ as an
// independent oracle: it built a whole element tree and read it after, a different implementation
// of the same rules. Every CVRF month in the corpus, and malformed and unusual variants of them,
// must give the same wire document (key order included), the same advisories, or the same error.
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ParseError } from '../../src/errors.js';
import type { RawDocument } from '../../src/model/raw-document.js';
import { NotCvrfError, readCvrfXml } from '../../src/parse/cvrf/read-xml.js';
import { cvrfToAdvisories, parseCvrf } from '../../src/parse/cvrf/to-advisory.js';
import type { CvrfDocument } from '../../src/parse/cvrf/wire.js';
import { MAX_XML_DEPTH, XmlSyntaxError } from '../../src/parse/cvrf/xml-stream.js';
import { corpus, corpusPath, CORPUS_FETCHED_AT } from '../helpers/corpus.js';
import { NotCvrfError as OldNotCvrfError, readCvrfXml as oldReadCvrfXml } from './cvrf-oracle/read-xml.js';
import { cvrfToAdvisories as oldCvrfToAdvisories } from './cvrf-oracle/to-advisory.js';
import { parseXmlTree as oldParseXmlTree, XmlSyntaxError as OldXmlSyntaxError } from './cvrf-oracle/xml-tree.js';

const MONTHS = readdirSync(corpusPath('msrc'))
  .filter((f) => f.endsWith('.xml'))
  .map((f) => `msrc/${f}`);

type Outcome = { ok: true; cvrf: CvrfDocument; json: string } | { ok: false; kind: 'syntax' | 'not-cvrf'; message: string; line?: number };

/** Key order included: the products map as its entries, in insertion order. */
const canonical = (cvrf: CvrfDocument): string => JSON.stringify({ ...cvrf, products: [...cvrf.products] });

function outcome(read: () => CvrfDocument, syntax: new (...args: never[]) => Error & { line?: number | undefined }, notCvrf: new (...args: never[]) => Error): Outcome {
  try {
    const cvrf = read();
    return { ok: true, cvrf, json: canonical(cvrf) };
  } catch (err) {
    if (err instanceof syntax) return { ok: false, kind: 'syntax', message: err.message, ...(err.line === undefined ? {} : { line: err.line }) };
    if (err instanceof notCvrf) return { ok: false, kind: 'not-cvrf', message: err.message };
    throw err;
  }
}

const oldOutcome = (xml: string): Outcome => outcome(() => oldReadCvrfXml(oldParseXmlTree(xml)), OldXmlSyntaxError, OldNotCvrfError);
const newOutcome = (xml: string): Outcome => outcome(() => readCvrfXml(xml), XmlSyntaxError, NotCvrfError);

const doc = (xml: string): RawDocument => ({
  sourceId: 'msrc',
  sourceKind: 'cvrf',
  url: 'https://example.invalid/cvrf.xml',
  body: new TextEncoder().encode(xml),
  fetchedAt: CORPUS_FETCHED_AT,
});

/** The advisories as JSON text (key order included), or the ParseError's message and place. */
function advisoriesOutcome(toAdvisories: (d: RawDocument) => unknown[], xml: string): string {
  try {
    return JSON.stringify(toAdvisories(doc(xml)));
  } catch (err) {
    if (err instanceof ParseError) return `ParseError: ${err.message} @ ${err.where}`;
    throw err;
  }
}

/** Old and new agree on the wire document (or error) and on the advisories (or ParseError). */
function expectSame(xml: string, label: string): Outcome {
  const before = oldOutcome(xml);
  expect(newOutcome(xml), label).toEqual(before);
  expect(advisoriesOutcome(cvrfToAdvisories, xml), label).toBe(advisoriesOutcome(oldCvrfToAdvisories, xml));
  return before;
}

describe.each(MONTHS)('the streaming CVRF reader on %s', (rel) => {
  const xml = corpus(rel).toString('utf8');

  it('reads the same wire document as the old tree reader (key order included)', () => {
    const before = oldOutcome(xml);
    const after = newOutcome(xml);
    expect(before.ok).toBe(true);
    expect(after).toEqual(before);
    if (!before.ok || !after.ok) return;
    expect(after.json).toBe(before.json);
    expect(before.cvrf.vulnerabilities.length).toBeGreaterThan(0);
  });

  it('gives the same advisories as the old reader and adapter, in place and through the parser (off-thread when large)', async () => {
    const before = oldCvrfToAdvisories(doc(xml));
    expect(before.length).toBeGreaterThan(0);
    expect(JSON.stringify(cvrfToAdvisories(doc(xml)))).toBe(JSON.stringify(before));
    expect(await parseCvrf(doc(xml))).toEqual(before);
  });
});

describe('the streaming CVRF reader on malformed and unusual documents', () => {
  const small = corpus('msrc/cvrf-2007-Jun.xml').toString('utf8');
  const month = corpus('msrc/cvrf-2017-Mar.xml').toString('utf8');
  const vuln = (inner: string, attrs = ''): string =>
    `<cvrf:cvrfdoc><cvrf:DocumentTracking><cvrf:Identification><cvrf:ID>X</cvrf:ID></cvrf:Identification></cvrf:DocumentTracking><vuln:Vulnerability${attrs}>${inner}</vuln:Vulnerability></cvrf:cvrfdoc>`;

  const crafted: Record<string, string> = {
    'only the first Title counts, even empty': vuln('<vuln:Title> </vuln:Title><vuln:Title>second</vuln:Title><vuln:CVE>CVE-2025-1</vuln:CVE>'),
    'a second Notes/Threats/Remediations block is not read': vuln(
      '<vuln:Notes><vuln:Note Type="Description">a</vuln:Note></vuln:Notes><vuln:Notes><vuln:Note Type="Description">b</vuln:Note></vuln:Notes>' +
        '<vuln:Threats><vuln:Threat Type="Severity"><vuln:Description>Low</vuln:Description><vuln:Description>Critical</vuln:Description><vuln:ProductID>1</vuln:ProductID></vuln:Threat></vuln:Threats>' +
        '<vuln:Threats><vuln:Threat Type="Severity"><vuln:Description>Critical</vuln:Description></vuln:Threat></vuln:Threats>' +
        '<vuln:Remediations><vuln:Remediation Type="Vendor Fix"><vuln:FixedBuild>1</vuln:FixedBuild><vuln:FixedBuild> </vuln:FixedBuild><vuln:FixedBuild>2</vuln:FixedBuild><vuln:URL>u</vuln:URL><vuln:URL>v</vuln:URL></vuln:Remediation></vuln:Remediations><vuln:Remediations><vuln:Remediation Type="x"/></vuln:Remediations>',
    ),
    'mixed content: children’s text is not the parent’s, blank pieces between children are dropped': vuln(
      '<vuln:Notes><vuln:Note Type="Description" Title="t" Type="dup"> a <b>bold</b> \n <i/> c &amp; d </vuln:Note></vuln:Notes><vuln:CVE>CVE-<x>1</x>2025-7</vuln:CVE>',
    ),
    'entities and CDATA arrive in pieces': vuln('<vuln:Title>a &lt;b&gt; &#x41;&#66; <![CDATA[<c>]]> z</vuln:Title>'),
    'self-closing and empty elements': vuln('<vuln:Title/><vuln:CVE></vuln:CVE><vuln:ProductStatuses><vuln:Status Type="Known Affected"><vuln:ProductID/><vuln:ProductID> 9 </vuln:ProductID></vuln:Status></vuln:ProductStatuses>', ' Ordinal="4"'),
    'elements in the wrong place are not read': vuln('<vuln:Threats><vuln:Threat Type="Severity"><vuln:Threat Type="Severity"><vuln:Description>Critical</vuln:Description></vuln:Threat></vuln:Threat></vuln:Threats><vuln:ProductID>7</vuln:ProductID>'),
    'products in nested branches, repeated, with and without CPE': small.replace(
      /<prod:ProductTree>/,
      '<prod:ProductTree><prod:Branch Type="Vendor"><prod:Branch><prod:FullProductName ProductID="x1" CPE="cpe:/a">A</prod:FullProductName></prod:Branch><prod:FullProductName ProductID="x1">A2</prod:FullProductName><prod:FullProductName>no id</prod:FullProductName><prod:FullProductName ProductID="x2"> </prod:FullProductName></prod:Branch><prod:FullProductName ProductID="x1"><prod:Branch>B</prod:Branch>C</prod:FullProductName>',
    ),
    'a second DocumentTracking is not read': small.replace('</cvrf:DocumentTracking>', '</cvrf:DocumentTracking><cvrf:DocumentTracking><cvrf:Identification><cvrf:ID>other</cvrf:ID></cvrf:Identification></cvrf:DocumentTracking>'),
    'a stray end tag': small.replace('</cvrf:DocumentTitle>', '</cvrf:DocumentTitle></vuln:Nothing>'),
    'a mismatched end tag': small.replace('</cvrf:DocumentTitle>', '</cvrf:Other>'),
    'text outside the root': `${small}trailing`,
    'two roots': `${small}<cvrf:cvrfdoc/>`,
    'no root': '<?xml version="1.0"?>\n<!-- nothing -->\n',
    'another root element': '<feed><entry/></feed>',
    'a CVRF root without an ID': small.replace(/<cvrf:ID>[^<]*<\/cvrf:ID>/, '<cvrf:ID> </cvrf:ID>'),
    'a DOCTYPE with entity declarations': `<!DOCTYPE cvrfdoc [<!ENTITY a "b">]>\n${small}`,
    'a DOCTYPE without a subset': `<!DOCTYPE cvrfdoc>\n${small}`,
    'nesting at the depth limit': `<cvrf:cvrfdoc>${'<a>'.repeat(MAX_XML_DEPTH - 1)}${'</a>'.repeat(MAX_XML_DEPTH - 1)}</cvrf:cvrfdoc>`,
    'nesting past the depth limit': `<cvrf:cvrfdoc>\n${'<a>\n'.repeat(MAX_XML_DEPTH)}${'</a>'.repeat(MAX_XML_DEPTH)}</cvrf:cvrfdoc>`,
    'a tag cut off inside its attributes': small.slice(0, small.indexOf('Type="Vendor"') + 4),
  };

  it.each(Object.entries(crafted))('%s', (_name, xml) => {
    expectSame(xml, 'crafted');
  });

  it('the crafted cases cover success, syntax errors and non-CVRF documents', () => {
    const kinds = new Set(Object.values(crafted).map((xml) => { const o = oldOutcome(xml); return o.ok ? 'ok' : o.kind; }));
    expect([...kinds].sort()).toEqual(['not-cvrf', 'ok', 'syntax']);
  });

  it('every truncation of a small document, and 60 of a month, give the same result or error', () => {
    const cuts = [
      ...Array.from({ length: Math.ceil(small.length / 7) }, (_, i) => small.slice(0, i * 7)),
      ...Array.from({ length: 60 }, (_, i) => month.slice(0, Math.floor((month.length * i) / 60) + (i % 13))),
    ];
    let errors = 0;
    for (const xml of cuts) {
      if (!expectSame(xml, `cut at ${xml.length}`).ok) errors++;
    }
    expect(errors).toBeGreaterThan(cuts.length / 2);
  });

  it('every third "<" or ">" of a small document removed in turn gives the same result or error', () => {
    const positions = [...small.matchAll(/[<>]/g)].map((m) => m.index);
    for (let i = 0; i < positions.length; i += 3) {
      const at = positions[i]!;
      const xml = small.slice(0, at) + small.slice(at + 1);
      expectSame(xml, `without the character at ${at}`);
    }
  });

  it('errors reach the parser as a ParseError naming the line', async () => {
    const xml = small.replace('</cvrf:DocumentTitle>', '</cvrf:Other>');
    const before = oldOutcome(xml);
    expect(before.ok).toBe(false);
    const err = await parseCvrf(doc(xml)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ParseError);
    expect((err as ParseError).where).toBe(`line ${before.ok ? -1 : before.line}`);
  });
});
