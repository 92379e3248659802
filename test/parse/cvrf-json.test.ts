import { describe, expect, it } from 'vitest';
import { ParseError } from '../../src/errors.js';
import type { ParsedAdvisory } from '../../src/model/advisory.js';
import type { RawDocument } from '../../src/model/raw-document.js';
import { parseXmlTree, type XmlElement } from './cvrf-oracle/xml-tree.js';
import { detectFormat, parseCvrf } from '../../src/parse/index.js';
import { corpus, CORPUS_FETCHED_AT } from '../helpers/corpus.js';

// No JSON month exists in the corpus, so real XML months are rewritten here into the JSON shape the
// API documents (swagger definition cvrfReturnTypes200: { Value } wrappers, numeric enumerations),
// and both forms must say the same thing (the XML form is checked against the raw text in cvrf.test.ts).

const THREAT: Record<string, number> = { Impact: 0, 'Exploit Status': 1, 'Target Set': 2, Severity: 3 };
const REMEDIATION: Record<string, number> = { Workaround: 0, Mitigation: 1, 'Vendor Fix': 2, 'None Available': 3, 'Will Not Fix': 4, 'Release Notes': 5, 'Known Issue': 6 };
const NOTE: Record<string, number> = { General: 0, Details: 1, Description: 2, Summary: 3, FAQ: 4, 'Legal Disclaimer': 5, Other: 6, Tag: 7, CNA: 8 };

const kids = (el: XmlElement | undefined, name: string): XmlElement[] => el?.children.filter((c) => c.name === name) ?? [];
const kid = (el: XmlElement | undefined, name: string): XmlElement | undefined => kids(el, name)[0];
const text = (el: XmlElement | undefined, name: string): string | undefined => kid(el, name)?.text.trim() || undefined;
const wrap = (v: string | undefined): { Value: string } | undefined => (v === undefined ? undefined : { Value: v });
const pids = (el: XmlElement): string[] => kids(el, 'ProductID').map((p) => p.text.trim());
const history = (el: XmlElement | undefined): unknown[] =>
  kids(el, 'Revision').map((r) => ({ Number: text(r, 'Number'), Date: text(r, 'Date'), Description: wrap(text(r, 'Description')) }));

function toJson(root: XmlElement): unknown {
  const tracking = kid(root, 'DocumentTracking');
  const branch = (b: XmlElement): unknown => ({
    Type: 0,
    Name: b.attrs.Name,
    Items: [...kids(b, 'Branch').map(branch), ...kids(b, 'FullProductName').map((p) => ({ ProductID: p.attrs.ProductID, Value: p.text.trim() }))],
  });
  return {
    DocumentTitle: wrap(text(root, 'DocumentTitle')),
    DocumentTracking: {
      Identification: { ID: wrap(text(kid(tracking, 'Identification'), 'ID')) },
      Version: text(tracking, 'Version'),
      RevisionHistory: history(kid(tracking, 'RevisionHistory')),
      InitialReleaseDate: text(tracking, 'InitialReleaseDate'),
      CurrentReleaseDate: text(tracking, 'CurrentReleaseDate'),
    },
    ProductTree: {
      Branch: kids(kid(root, 'ProductTree'), 'Branch').map(branch),
      FullProductName: kids(kid(root, 'ProductTree'), 'FullProductName').map((p) => ({ ProductID: p.attrs.ProductID, Value: p.text.trim() })),
    },
    Vulnerability: kids(root, 'Vulnerability').map((v) => ({
      Title: wrap(text(v, 'Title')),
      Notes: kids(kid(v, 'Notes'), 'Note').map((n) => ({ Title: n.attrs.Title, Type: NOTE[n.attrs.Type ?? ''], Ordinal: n.attrs.Ordinal, Value: n.text.trim() })),
      CVE: text(v, 'CVE'),
      ProductStatuses: kids(kid(v, 'ProductStatuses'), 'Status').map((s) => ({ ProductID: pids(s), Type: 3 })),
      Threats: kids(kid(v, 'Threats'), 'Threat').map((t) => ({ Description: wrap(text(t, 'Description')), ProductID: pids(t), Type: THREAT[t.attrs.Type ?? ''] })),
      CVSSScoreSets: kids(kid(v, 'CVSSScoreSets'), 'ScoreSet').map((s) => ({ BaseScore: Number(text(s, 'BaseScore')), Vector: text(s, 'Vector'), ProductID: pids(s) })),
      Remediations: kids(kid(v, 'Remediations'), 'Remediation').map((r) => {
        const builds = kids(r, 'FixedBuild').map((b) => b.text.trim());
        return {
          Description: wrap(text(r, 'Description')),
          URL: text(r, 'URL'),
          Supercedence: text(r, 'Supercedence'),
          ProductID: pids(r),
          Type: REMEDIATION[r.attrs.Type ?? ''],
          SubType: text(r, 'SubType'),
          FixedBuild: builds.length > 1 ? builds : builds[0],
        };
      }),
      Ordinal: v.attrs.Ordinal,
      RevisionHistory: history(kid(v, 'RevisionHistory')),
    })),
  };
}

const doc = (body: string): RawDocument => ({ sourceId: 'msrc', sourceKind: 'cvrf', url: 'https://example.invalid/cvrf', body: new TextEncoder().encode(body), fetchedAt: CORPUS_FETCHED_AT });
/** The JSON form carries no CPE attribute (not in the documented shape). */
const withoutCpe = (list: ParsedAdvisory[]): ParsedAdvisory[] =>
  list.map((a) => ({ ...a, products: a.products.map(({ cpe: _cpe, ...p }) => p) }));

describe.each(['msrc/cvrf-2007-Jun.xml', 'msrc/cvrf-2017-Mar.xml'])('parseCvrf on the JSON form of %s', (rel) => {
  it('says exactly what the XML form says (CPEs aside)', async () => {
    const xml = corpus(rel).toString('utf8');
    const json = JSON.stringify(toJson(parseXmlTree(xml)));
    expect(detectFormat(new TextEncoder().encode(json))).toBe('cvrf');
    const fromXml = await parseCvrf(doc(xml));
    const fromJson = await parseCvrf(doc(json));
    expect(fromJson.length).toBeGreaterThan(0);
    expect(fromJson).toEqual(withoutCpe(fromXml));
  });
});

describe('parseCvrf on bad JSON', () => {
  it('throws only ParseError on truncations and on values of the wrong type', async () => {
    const json = JSON.stringify(toJson(parseXmlTree(corpus('msrc/cvrf-2007-Jun.xml').toString('utf8'))));
    const wrongTypes = ['null', '7', '"x"', '[]', '{}', '[null]', '{"Value":3}'];
    const bodies = [
      ...Array.from({ length: 60 }, (_, i) => json.slice(0, Math.floor((json.length * i) / 60))),
      // every value position, in turn, replaced by a value of another type
      ...[...json.matchAll(/:(?:"[^"]*"|\d+|\[|\{)/g)].map((m, i) => `${json.slice(0, m.index + 1)}${wrongTypes[i % wrongTypes.length]!}${json.slice(m.index + m[0].length)}`),
    ];
    let ok = 0;
    for (const body of bodies) {
      try {
        const got = await parseCvrf(doc(body));
        for (const a of got) expect(new Date(a.published).toISOString()).toBe(a.published);
        ok++;
      } catch (err) {
        if (!(err instanceof ParseError)) throw new Error(`threw ${String(err)} for ${body.slice(0, 80)}…`, { cause: err });
      }
    }
    expect(ok).toBeGreaterThan(0);
    expect(ok).toBeLessThan(bodies.length);
  });

  it('names the cause', async () => {
    const fail = async (body: string): Promise<string> => {
      const err: unknown = await parseCvrf(doc(body)).then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(ParseError);
      return (err as ParseError).message;
    };
    expect(await fail('{"DocumentTracking": ')).toMatch(/^invalid JSON/);
    expect(await fail('{"DocumentTracking": {}}')).toBe('not a CVRF document: DocumentTracking.Identification.ID.Value is missing');
  });
});
