// The JSON form of MSRC CVRF (Accept: application/json), as documented by the API's swagger
// (https://github.com/microsoft/MSRC-Microsoft-Security-Updates-API/blob/main/docs/swagger.yaml,
// definition cvrfReturnTypes200). No real JSON month is in the corpus: read from that shape only.
// Enumerations are numbers there: Threat 0 Impact, 1 Exploit Status, 3 Severity; Remediation
// 2 Vendor Fix; Note 2 Description; ProductStatus 2 Known Not Affected (any other counts as affected).
import type { CvrfDocument, CvrfRemediation, CvrfRevision, CvrfVulnerability } from './wire.js';
import { NotCvrfError } from './read-xml.js';

type Json = Record<string, unknown>;

const THREAT: Readonly<Record<number, string>> = { 0: 'Impact', 1: 'Exploit Status', 2: 'Target Set', 3: 'Severity' };
const NOTE: Readonly<Record<number, string>> = { 0: 'General', 1: 'Details', 2: 'Description', 3: 'Summary', 4: 'FAQ', 5: 'Legal Disclaimer', 6: 'Other' };
const REMEDIATION: Readonly<Record<number, string>> = { 0: 'Workaround', 1: 'Mitigation', 2: 'Vendor Fix', 3: 'None Available', 4: 'Will Not Fix' };

/** Read the same parts as readCvrfXml from the JSON form; unknown enum numbers keep their number. */
export function readCvrfJson(json: unknown): CvrfDocument {
  if (!isObject(json)) throw new NotCvrfError('the JSON document is not an object');
  const tracking = obj(json.DocumentTracking);
  const id = value(obj(tracking.Identification).ID);
  if (id === undefined) throw new NotCvrfError('DocumentTracking.Identification.ID.Value is missing');
  return {
    title: value(json.DocumentTitle) ?? id,
    tracking: {
      id,
      ...opt('version', str(tracking.Version)),
      revisions: revisions(tracking.RevisionHistory),
      ...opt('initialReleaseDate', str(tracking.InitialReleaseDate)),
      ...opt('currentReleaseDate', str(tracking.CurrentReleaseDate)),
    },
    products: products(obj(json.ProductTree)),
    vulnerabilities: arr(json.Vulnerability).filter(isObject).map(vulnerability),
  };
}

function products(tree: Json): Map<string, { name: string }> {
  const out = new Map<string, { name: string }>();
  const add = (item: unknown): void => {
    if (!isObject(item)) return;
    const id = str(item.ProductID);
    const name = str(item.Value)?.trim();
    if (id !== undefined && name) out.set(id, { name });
    for (const nested of arr(item.Items)) add(nested);
  };
  for (const branch of arr(tree.Branch)) add(branch);
  for (const p of arr(tree.FullProductName)) add(p);
  return out;
}

function vulnerability(v: Json): CvrfVulnerability {
  return {
    ...opt('ordinal', str(v.Ordinal)),
    ...opt('title', value(v.Title)),
    ...opt('cve', str(v.CVE)),
    notes: arr(v.Notes)
      .filter(isObject)
      .map((n) => ({ ...opt('type', enumName(NOTE, n.Type) || undefined), ...opt('title', str(n.Title)), text: str(n.Value) ?? '' })),
    statuses: arr(v.ProductStatuses)
      .filter(isObject)
      .map((s) => ({ type: s.Type === 2 ? 'Known Not Affected' : 'Known Affected', productIds: ids(s.ProductID) })),
    threats: arr(v.Threats)
      .filter(isObject)
      .map((t) => ({ type: enumName(THREAT, t.Type), ...opt('description', value(t.Description)), productIds: ids(t.ProductID) })),
    scoreSets: arr(v.CVSSScoreSets)
      .filter(isObject)
      .map((s) => ({ ...opt('baseScore', num(s.BaseScore)), ...opt('vector', str(s.Vector)), productIds: ids(s.ProductID) })),
    remediations: arr(v.Remediations).filter(isObject).map(remediation),
    revisions: revisions(v.RevisionHistory),
  };
}

function remediation(r: Json): CvrfRemediation {
  const fixed = Array.isArray(r.FixedBuild) ? r.FixedBuild : [r.FixedBuild];
  return {
    type: enumName(REMEDIATION, r.Type),
    ...opt('description', value(r.Description)),
    ...opt('url', str(r.URL)),
    ...opt('supercedence', str(r.Supercedence)),
    ...opt('subType', str(r.SubType)),
    fixedBuilds: fixed.flatMap((b) => (typeof b === 'string' && b.trim() !== '' ? [b.trim()] : [])),
    productIds: ids(r.ProductID),
  };
}

function revisions(history: unknown): CvrfRevision[] {
  return arr(history)
    .filter(isObject)
    .flatMap((r) => {
      const number = str(r.Number);
      const date = str(r.Date);
      return number === undefined || date === undefined ? [] : [{ number, date, ...opt('description', value(r.Description)) }];
    });
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const obj = (v: unknown): Json => (isObject(v) ? v : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' ? String(v) : undefined);
const num = (v: unknown): string | undefined => (typeof v === 'number' || typeof v === 'string' ? String(v) : undefined);
/** `{ "Value": "…" }` wrappers, or a bare string. */
const value = (v: unknown): string | undefined => (isObject(v) ? str(v.Value) : str(v));
const ids = (v: unknown): string[] => arr(v).flatMap((x) => str(x) ?? []);
const enumName = (names: Readonly<Record<number, string>>, v: unknown): string =>
  typeof v === 'number' ? (names[v] ?? String(v)) : (str(v) ?? '');

function opt<K extends string, V>(key: K, v: V | undefined): { [P in K]?: V } {
  return v === undefined ? {} : ({ [key]: v } as { [P in K]: V });
}
