// THE OLD READER, kept as the test oracle for the streaming reader (src/parse/cvrf/read-xml.ts):
// this is src/parse/cvrf/read-xml.ts as it was before the streaming rewrite, unchanged but for import
// paths. test/parse/cvrf-stream-oracle.test.ts holds the new reader to its output. Do not "fix" it.
// CVRF 1.1 XML → wire shape (https://docs.oasis-open.org/csaf/csaf-cvrf/v1.2/cs01/csaf-cvrf-v1.2-cs01.html).
import type { CvrfDocument, CvrfRemediation, CvrfRevision, CvrfVulnerability } from '../../../src/parse/cvrf/wire.js';
import { child, childText, childrenNamed, type XmlElement } from './xml-tree.js';

/** Thrown when the root element is not a CVRF document; the adapter turns it into a ParseError. */
export class NotCvrfError extends Error {}

/** Read the parts of a `cvrfdoc` that secwatch uses; tolerant of missing optional parts. */
export function readCvrfXml(root: XmlElement): CvrfDocument {
  if (root.name !== 'cvrfdoc') throw new NotCvrfError(`root element is <${root.name}>, not <cvrf:cvrfdoc>`);
  const tracking = child(root, 'DocumentTracking');
  const id = childText(child(tracking, 'Identification'), 'ID');
  if (id === undefined) throw new NotCvrfError('DocumentTracking/Identification/ID is missing');
  return {
    title: childText(root, 'DocumentTitle') ?? id,
    tracking: {
      id,
      ...opt('version', childText(tracking, 'Version')),
      revisions: readRevisions(child(tracking, 'RevisionHistory')),
      ...opt('initialReleaseDate', childText(tracking, 'InitialReleaseDate')),
      ...opt('currentReleaseDate', childText(tracking, 'CurrentReleaseDate')),
    },
    products: readProducts(child(root, 'ProductTree')),
    vulnerabilities: childrenNamed(root, 'Vulnerability').map(readVulnerability),
  };
}

function readProducts(tree: XmlElement | undefined): Map<string, { name: string; cpe?: string }> {
  const products = new Map<string, { name: string; cpe?: string }>();
  const visit = (el: XmlElement): void => {
    for (const c of el.children) {
      if (c.name === 'FullProductName') {
        const id = c.attrs.ProductID;
        const name = c.text.trim();
        if (id === undefined || name === '') continue;
        const cpe = c.attrs.CPE ?? products.get(id)?.cpe;
        products.set(id, cpe === undefined ? { name } : { name, cpe });
      } else if (c.name === 'Branch') {
        visit(c);
      }
    }
  };
  if (tree) visit(tree);
  return products;
}

function readRevisions(history: XmlElement | undefined): CvrfRevision[] {
  return childrenNamed(history, 'Revision').flatMap((r) => {
    const number = childText(r, 'Number');
    const date = childText(r, 'Date');
    if (number === undefined || date === undefined) return [];
    return [{ number, date, ...opt('description', childText(r, 'Description')) }];
  });
}

/** The ProductID children's ids. A loop, not flatMap: a month lists ~100k of them (profile, bench/cvrf.ts). */
function productIds(el: XmlElement): string[] {
  const ids: string[] = [];
  for (const c of el.children) {
    if (c.name !== 'ProductID') continue;
    const id = c.text.trim();
    if (id !== '') ids.push(id);
  }
  return ids;
}

function readVulnerability(v: XmlElement): CvrfVulnerability {
  return {
    ...opt('ordinal', v.attrs.Ordinal),
    ...opt('title', childText(v, 'Title')),
    ...opt('cve', childText(v, 'CVE')),
    notes: childrenNamed(child(v, 'Notes'), 'Note').map((n) => ({
      ...opt('type', n.attrs.Type),
      ...opt('title', n.attrs.Title),
      text: n.text.trim(),
    })),
    statuses: childrenNamed(child(v, 'ProductStatuses'), 'Status').map((s) => ({ type: s.attrs.Type ?? '', productIds: productIds(s) })),
    threats: childrenNamed(child(v, 'Threats'), 'Threat').map((t) => ({
      type: t.attrs.Type ?? '',
      ...opt('description', childText(t, 'Description')),
      productIds: productIds(t),
    })),
    scoreSets: childrenNamed(child(v, 'CVSSScoreSets'), 'ScoreSet').map((s) => ({
      ...opt('baseScore', childText(s, 'BaseScore')),
      ...opt('vector', childText(s, 'Vector')),
      productIds: productIds(s),
    })),
    remediations: childrenNamed(child(v, 'Remediations'), 'Remediation').map(readRemediation),
    revisions: readRevisions(child(v, 'RevisionHistory')),
  };
}

function readRemediation(r: XmlElement): CvrfRemediation {
  return {
    type: r.attrs.Type ?? '',
    ...opt('description', childText(r, 'Description')),
    ...opt('url', childText(r, 'URL')),
    ...opt('supercedence', childText(r, 'Supercedence')),
    ...opt('subType', childText(r, 'SubType')),
    fixedBuilds: childrenNamed(r, 'FixedBuild').flatMap((b) => nonEmpty(b.text)),
    productIds: productIds(r),
  };
}

function nonEmpty(text: string): string[] {
  const t = text.trim();
  return t === '' ? [] : [t];
}

/** `{ key: value }` when value is defined, else `{}` (exactOptionalPropertyTypes). */
function opt<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return value === undefined ? {} : ({ [key]: value } as { [P in K]: V });
}
