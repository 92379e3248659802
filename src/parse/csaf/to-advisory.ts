// CSAF 2.0: https://docs.oasis-open.org/csaf/csaf/v2.0/os/csaf-v2.0-os.html (§3.2.1 document,
// §3.2.2 product_tree, §3.2.3 vulnerabilities). One advisory per document.
import type { z } from 'zod';
import { ParseError } from '../../errors.js';
import { MAX_JSON_DEPTH, tooDeep } from '../json-depth.js';
import type { AffectedProduct, CvssScore, ParsedAdvisory, Remediation } from '../../model/advisory.js';
import type { RawDocument } from '../../model/raw-document.js';
import type { Parser } from '../parser.js';
import { flattenProductTree, type TreeProduct } from './product-tree.js';
import { ssvcOf } from './ssvc.js';
import { csafDocumentSchema, type CsafDocument, type CsafVulnerability } from './wire.js';

const FORMAT = 'csaf';
const AFFECTED = ['known_affected', 'first_affected', 'last_affected', 'under_investigation'];
const FIXED = ['fixed', 'first_fixed'];

/** One advisory per CSAF document: tracking id, every CVE, products with CPE/purl, remediations. */
export const parseCsaf: Parser = (doc) => Promise.resolve().then(() => [csafToAdvisory(doc)]);

/** The pure core of parseCsaf, for callers that already hold the bytes. */
export function csafToAdvisory(doc: RawDocument): ParsedAdvisory {
  const csaf = readCsaf(doc.body);
  const d = csaf.document;
  const vulns = csaf.vulnerabilities ?? [];
  const tree = flattenProductTree(csaf.product_tree);
  const related = relationships(csaf);
  const cvss = scoresOf(vulns);
  const tlp = d.distribution?.tlp?.label;
  const self = d.references?.find((r) => r.category === 'self')?.url;
  const summary = pickNote(d.notes, ['summary', 'description', 'general']);
  const ssvc = ssvcOf(vulns);
  return {
    id: `csaf:${namespaceLabel(d.publisher.namespace) ?? doc.sourceId}:${d.tracking.id.toLowerCase()}`,
    kind: 'advisory',
    source: { kind: 'csaf', id: doc.sourceId },
    title: d.title,
    url: self ?? doc.url,
    ...(summary === undefined ? {} : { summary }),
    published: isoDate(d.tracking.initial_release_date, 'document.tracking.initial_release_date'),
    modified: isoDate(d.tracking.current_release_date, 'document.tracking.current_release_date'),
    ...(d.aggregate_severity ? { vendorSeverity: d.aggregate_severity.text } : {}),
    cvss,
    cves: unique(vulns.flatMap((v) => (v.cve ? [v.cve] : []))),
    aliases: [d.tracking.id],
    // SSVC "Exploitation: active" is CISA saying it is exploited.
    exploited: ssvc.length === 0 ? {} : { ssvc, ...(ssvc.some((p) => p.exploitation === 'active') ? { exploited: true } : {}) },
    products: productsOf(vulns, tree, related),
    remediation: remediationOf(vulns, tree, related),
    signature: { status: 'not-checked' },
    vendorRevision: d.tracking.version,
    ...(tlp === undefined ? {} : { tlp }),
  };
}

function readCsaf(body: Uint8Array): CsafDocument {
  const text = new TextDecoder('utf-8').decode(body).replace(/^\uFEFF/, '');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    const raw = err instanceof Error ? err.message : String(err);
    const pos = /position (\d+)/.exec(raw)?.[1];
    const where = pos === undefined ? undefined : lineColumn(text, Number(pos));
    throw new ParseError(FORMAT, `invalid JSON${where ? ` at ${where}` : ''}: ${raw.replace(/\s*in JSON at position \d+.*$/, '')}`, {
      cause: err,
      ...(where ? { where } : {}),
    });
  }
  const deep = tooDeep(json);
  if (deep !== undefined) throw new ParseError(FORMAT, `nested deeper than ${MAX_JSON_DEPTH} levels at ${deep}`, { where: deep });
  const result = csafDocumentSchema.safeParse(json);
  if (!result.success) throw shapeError(result.error);
  return result.data;
}

/** "https://www.cisa.gov/" → "cisa": the publisher's registrable name, the readable part of an id. */
function namespaceLabel(namespace: string): string | undefined {
  try {
    const labels = new URL(namespace).hostname.toLowerCase().split('.').filter((l) => l !== 'www' && l !== '');
    return labels.length >= 2 ? labels[labels.length - 2] : labels[0];
  } catch {
    return undefined;
  }
}

/** product_id of a relationship → the products it combines (RHEL "stream:package"). */
function relationships(csaf: CsafDocument): Related {
  const out: Related = Object.assign(new Map<string, string[]>(), { names: new Map<string, string>() });
  for (const r of csaf.product_tree?.relationships ?? []) {
    out.set(r.full_product_name.product_id, [r.product_reference, r.relates_to_product_reference]);
    out.names.set(r.full_product_name.product_id, r.full_product_name.name);
  }
  return out;
}

type Related = Map<string, string[]> & { readonly names: Map<string, string> };

function resolveIds(ids: readonly string[], tree: Map<string, TreeProduct>, related: Related): TreeProduct[] {
  return ids.flatMap((id) => {
    const direct = tree.get(id);
    if (direct) return [direct];
    return (related.get(id) ?? []).flatMap((r) => (tree.has(r) ? [tree.get(r)!] : []));
  });
}

function productsOf(vulns: readonly CsafVulnerability[], tree: Map<string, TreeProduct>, related: Related): AffectedProduct[] {
  const byKey = new Map<string, { base: TreeProduct; ranges: Set<string>; fixed: Set<string> }>();
  const add = (p: TreeProduct, as: 'ranges' | 'fixed'): void => {
    const key = JSON.stringify([p.vendor, p.product, p.cpe, p.purl]);
    const entry = byKey.get(key) ?? { base: p, ranges: new Set<string>(), fixed: new Set<string>() };
    if (p.version !== undefined) entry[as].add(p.version);
    byKey.set(key, entry);
  };
  for (const v of vulns) {
    for (const [status, ids] of Object.entries(v.product_status ?? {})) {
      const as = FIXED.includes(status) ? 'fixed' : AFFECTED.includes(status) ? 'ranges' : undefined;
      if (as) for (const p of resolveIds(ids, tree, related)) add(p, as);
    }
  }
  // A document naming products but no status for them (rare) still says what it is about.
  if (byKey.size === 0) for (const p of tree.values()) add(p, 'ranges');
  return [...byKey.values()].map(({ base, ranges, fixed }) => ({
    product: base.product,
    ...(base.vendor === undefined ? {} : { vendor: base.vendor }),
    ...(base.cpe === undefined ? {} : { cpe: base.cpe }),
    ...(base.purl === undefined ? {} : { purl: base.purl }),
    ...(ranges.size > 0 ? { ranges: [...ranges] } : {}),
    ...(fixed.size > 0 ? { fixed: [...fixed] } : {}),
  }));
}

function remediationOf(vulns: readonly CsafVulnerability[], tree: Map<string, TreeProduct>, related: Related): Remediation {
  const fixes = vulns.flatMap((v) => (v.remediations ?? []).filter((r) => r.category === 'vendor_fix'));
  const fixedIds = vulns.flatMap((v) => FIXED.flatMap((s) => v.product_status?.[s] ?? []));
  // A relationship ("package as part of stream") is named by its own full_product_name.
  const names = new Map<string, string>([...tree.values()].map((p) => [p.id, p.fullName]));
  for (const [id, name] of related.names) names.set(id, name);
  const fixedVersions = unique(fixedIds.flatMap((id) => (names.has(id) ? [names.get(id)!] : [])));
  const url = fixes.find((f) => f.url)?.url;
  const action = unique(fixes.flatMap((f) => (f.details ? [f.details.trim()] : []))).join('\n');
  return {
    ...(fixedVersions.length > 0 ? { fixedVersions } : {}),
    ...(url === undefined ? {} : { url }),
    ...(action === '' ? {} : { action }),
  };
}

/** Every CVSS v3.x/v2 score given, once per (version, score, vector); the highest counts when rating. */
function scoresOf(vulns: readonly CsafVulnerability[]): CvssScore[] {
  const seen = new Map<string, CvssScore>();
  for (const s of vulns.flatMap((v) => v.scores ?? [])) {
    for (const c of [s.cvss_v3, s.cvss_v2]) {
      if (!c) continue;
      const version = c.version ?? '2.0';
      const score: CvssScore = { version, score: c.baseScore, ...(c.vectorString ? { vector: c.vectorString } : {}) };
      seen.set(`${version}|${c.baseScore}|${c.vectorString ?? ''}`, score);
    }
  }
  return [...seen.values()];
}

function pickNote(notes: CsafDocument['document']['notes'], categories: readonly string[]): string | undefined {
  for (const c of categories) {
    const text = notes?.find((n) => n.category === c)?.text.trim();
    if (text) return text;
  }
  return undefined;
}

function isoDate(value: string, where: string): string {
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new ParseError(FORMAT, `not a CSAF document: ${where}: "${value}" is not a date`, { where });
  return new Date(t).toISOString();
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

function lineColumn(text: string, position: number): string {
  const before = text.slice(0, Math.max(0, Math.min(position, text.length)));
  const line = before.split('\n').length;
  return `line ${line} column ${before.length - before.lastIndexOf('\n')}`;
}

function shapeError(error: z.ZodError): ParseError {
  const [first, ...rest] = error.issues;
  const where = (first?.path ?? []).map((k) => (typeof k === 'number' ? `[${k}]` : `.${String(k)}`)).join('').replace(/^\./, '') || '(root)';
  const more = rest.length === 0 ? '' : ` (and ${rest.length} more)`;
  return new ParseError(FORMAT, `not a CSAF document: ${where}: ${first?.message ?? 'invalid'}${more}`, { cause: error, where });
}
