// OSV schema (https://ossf.github.io/osv-schema/) → one advisory per record, id `osv:<id>`.
import { ParseError } from '../../errors.js';
import type { AffectedProduct, CvssScore, OsvEvent, OsvRange, ParsedAdvisory } from '../../model/advisory.js';
import type { RawDocument } from '../../model/raw-document.js';
import type { Parser } from '../parser.js';
import { RECORD_ZIP_LIMITS, isZip, readZip } from '../../util/zip.js';
import { scoreCvssVector } from './cvss.js';
import { osvRecordSchema, type OsvAffected, type OsvRecord, type OsvWireRange } from './wire.js';

const FORMAT = 'osv';
const CVE = /^CVE-\d{4}-\d{4,}$/i;

/**
 * A document holding one OSV record, a JSON array of them (what osv.dev's `querybatch`-style
 * exports and a folder merged into one file look like), or a zip of record files (osv.dev's
 * `all.zip`). A bad record fails the document, naming it. (The osv source splits a zip into one
 * document per entry, so there one bad record fails only itself.)
 */
export const parseOsv: Parser = (doc) => Promise.resolve().then(() => (isZip(doc.body) ? osvZip(doc) : osvToAdvisories(doc)));

function osvZip(doc: RawDocument): ParsedAdvisory[] {
  let read;
  try {
    read = readZip(doc.body, RECORD_ZIP_LIMITS, (name) => name.toLowerCase().endsWith('.json'));
  } catch (err) {
    throw new ParseError(FORMAT, `zip archive: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  const skipped = read.skipped[0];
  if (skipped) throw new ParseError(FORMAT, `zip entry ${skipped.name}: ${skipped.reason}`, { where: skipped.name });
  return read.entries.flatMap((entry) => {
    try {
      return osvToAdvisories({ ...doc, body: entry.body });
    } catch (err) {
      if (!(err instanceof ParseError)) throw err;
      throw new ParseError(FORMAT, `zip entry ${entry.name}: ${err.message}`, { cause: err, where: entry.name });
    }
  });
}

function osvToAdvisories(doc: RawDocument): ParsedAdvisory[] {
  const text = new TextDecoder('utf-8').decode(doc.body);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ParseError(FORMAT, `invalid JSON: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  const records = Array.isArray(json) ? json : [json];
  return records.map((r, i) => toAdvisory(readRecord(r, Array.isArray(json) ? `[${i}]` : ''), doc.sourceId));
}

function readRecord(value: unknown, at: string): OsvRecord {
  const result = osvRecordSchema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = `${at}${(issue?.path ?? []).map((k) => (typeof k === 'number' ? `[${k}]` : `.${String(k)}`)).join('')}` || '(root)';
  const id = typeof value === 'object' && value !== null && typeof (value as { id?: unknown }).id === 'string' ? ` ${(value as { id: string }).id}` : '';
  throw new ParseError(FORMAT, `not an OSV record${id}: ${path}: ${issue?.message ?? 'invalid'}`, { cause: result.error, where: path });
}

function toAdvisory(r: OsvRecord, sourceId: string): ParsedAdvisory {
  const modified = isoDate(r.modified, r.id, 'modified');
  const published = r.published === undefined ? modified : isoDate(r.published, r.id, 'published');
  const ids = [r.id, ...(r.aliases ?? []), ...(r.related ?? [])];
  const cves = [...new Set(ids.filter((x) => CVE.test(x)).map((x) => x.toUpperCase()))];
  const aliases = [...new Set((r.aliases ?? []).filter((x) => !CVE.test(x)))];
  const word = r.database_specific?.severity;
  const vendorSeverity = typeof word === 'string' && word.trim() !== '' ? word.trim() : undefined;
  const products = (r.affected ?? []).map(toProduct);
  const fixedVersions = [...new Set(products.flatMap((p) => p.fixed ?? []))];
  const advisoryUrl = r.references?.find((x) => x.type === 'ADVISORY')?.url ?? r.references?.[0]?.url;
  const summary = r.details?.trim();
  return {
    id: `osv:${r.id}`,
    kind: 'advisory',
    source: { kind: 'osv', id: sourceId },
    title: r.summary?.trim() || firstLine(r.details) || r.id,
    url: `https://osv.dev/vulnerability/${encodeURIComponent(r.id)}`,
    ...(summary ? { summary } : {}),
    published,
    // Go's vulndb writes modified "0001-01-01T00:00:00Z": a modification before publication means "not given".
    modified: modified < published ? published : modified,
    ...(vendorSeverity === undefined ? {} : { vendorSeverity }),
    cvss: cvssOf(r),
    cves,
    aliases,
    exploited: {},
    products,
    remediation: {
      ...(fixedVersions.length === 0 ? {} : { fixedVersions }),
      ...(advisoryUrl === undefined ? {} : { url: advisoryUrl }),
    },
    signature: { status: 'not-checked' },
  };
}

/** Every CVSS vector of the record and of its packages, scored when the vector is complete. */
function cvssOf(r: OsvRecord): CvssScore[] {
  const entries = [...(r.severity ?? []), ...(r.affected ?? []).flatMap((a) => a.severity ?? [])];
  const seen = new Map<string, CvssScore>();
  for (const e of entries) {
    if (!/^CVSS_V[234]$/.test(e.type)) continue;
    const scored = scoreCvssVector(e.score);
    if (scored) seen.set(`${scored.version}|${scored.vector ?? ''}`, scored);
  }
  return [...seen.values()];
}

function toProduct(a: OsvAffected): AffectedProduct {
  const osvRanges = (a.ranges ?? []).map(toRange);
  const fixed = [...new Set(osvRanges.filter((g) => g.type !== 'GIT').flatMap((g) => g.events.flatMap((e) => ('fixed' in e ? [e.fixed] : []))))];
  const ranges = osvRanges.flatMap(describeRange);
  const repo = osvRanges.find((g) => g.repo !== undefined)?.repo;
  return {
    ...(a.package ? { vendor: a.package.ecosystem } : {}),
    product: a.package?.name ?? repo ?? 'unknown package',
    ...(a.package?.purl === undefined ? {} : { purl: a.package.purl }),
    ...(ranges.length === 0 ? {} : { ranges }),
    ...(fixed.length === 0 ? {} : { fixed }),
    ...(a.package ? { ecosystem: a.package.ecosystem } : {}),
    ...(osvRanges.length === 0 ? {} : { osvRanges }),
    ...(a.versions === undefined || a.versions.length === 0 ? {} : { versions: a.versions }),
  };
}

function toRange(g: OsvWireRange): OsvRange {
  const events = g.events.flatMap((e): OsvEvent[] => {
    if (e.introduced !== undefined) return [{ introduced: e.introduced }];
    if (e.fixed !== undefined) return [{ fixed: e.fixed }];
    if (e.last_affected !== undefined) return [{ last_affected: e.last_affected }];
    if (e.limit !== undefined) return [{ limit: e.limit }];
    return [];
  });
  return { type: g.type, ...(g.repo === undefined ? {} : { repo: g.repo }), events };
}

/** Readable intervals, one per introduced event: "SEMVER >=0 <1.18.6", "ECOSYSTEM >=2.3.0 <=2.30.0". */
function describeRange(g: OsvRange): string[] {
  const out: string[] = [];
  let from: string | undefined;
  for (const e of g.events) {
    if ('introduced' in e) {
      if (from !== undefined) out.push(`${g.type} >=${from}`);
      from = e.introduced;
    } else if (from !== undefined) {
      const bound = 'fixed' in e ? `<${e.fixed}` : 'last_affected' in e ? `<=${e.last_affected}` : `<${e.limit}`;
      out.push(`${g.type} >=${from} ${bound}`);
      from = undefined;
    }
  }
  if (from !== undefined) out.push(`${g.type} >=${from}`);
  return out;
}

function isoDate(value: string, id: string, field: string): string {
  const ms = Date.parse(value);
  if (Number.isNaN(ms) || !/^\d{4}-\d{2}-\d{2}T/.test(value)) {
    throw new ParseError(FORMAT, `OSV record ${id}: ${field} "${value}" is not an RFC 3339 date`, { where: field });
  }
  return new Date(ms).toISOString();
}

/** A title for records without `summary`: the first line of `details`, cut at a word near 160 characters. */
function firstLine(text: string | undefined): string | undefined {
  const line = text?.split('\n').map((l) => l.trim()).find((l) => l !== '' && !/^-+$/.test(l));
  if (line === undefined || line.length <= 160) return line;
  const cut = line.slice(0, 160);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), 120))}…`;
}
