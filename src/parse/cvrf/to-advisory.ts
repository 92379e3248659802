// MSRC CVRF 1.1, XML or its JSON form (https://api.msrc.microsoft.com/cvrf/v3.0/swagger/v3/swagger.json) → one advisory per CVE.
// Element meanings as MSRC uses them: https://github.com/microsoft/MSRC-Microsoft-Security-Updates-API
import { ParseError } from '../../errors.js';
import type { AffectedProduct, CvssScore, Exploitation, ParsedAdvisory, Remediation } from '../../model/advisory.js';
import type { RawDocument } from '../../model/raw-document.js';
import type { Parser } from '../parser.js';
import { parseCvrfOffThread } from './off-thread.js';
import { readCvrfJson } from './read-json.js';
import { NotCvrfError, readCvrfXml } from './read-xml.js';
import type { CvrfDocument, CvrfRemediation, CvrfRevision, CvrfVulnerability } from './wire.js';
import { XmlSyntaxError } from './xml-stream.js';

const FORMAT = 'cvrf';
/** MSRC's four words, highest first; anything else (MSRC leaves some empty) does not rate. */
const MSRC_RANK: Readonly<Record<string, number>> = { critical: 4, important: 3, moderate: 2, low: 1 };

/**
 * One advisory per vulnerability, id `msrc:<CVE>` whatever month lists it, so a re-released CVE
 * updates the same item. A document with no vulnerabilities gives none (CVRF allows it; see README).
 */
export const parseCvrf: Parser = (doc) => (doc.body.length >= OFF_THREAD_BYTES ? parseCvrfOffThread(doc) : parseCvrfInline(doc));

/**
 * A month of MSRC CVRF is 3–7 MB and takes a few hundred ms to read: on the main thread that would
 * stall `serve` (HTTP answers, other sources' polls) for as long. Documents this large are read in
 * a worker thread (off-thread.ts); smaller ones cost less than starting a thread.
 */
export const OFF_THREAD_BYTES = 512 * 1024;

/** The same reading on the calling thread (small documents; the worker runs this too). */
export const parseCvrfInline: Parser = (doc) => Promise.resolve().then(() => cvrfToAdvisories(doc));

export function cvrfToAdvisories(doc: RawDocument): ParsedAdvisory[] {
  const text = new TextDecoder('utf-8').decode(doc.body);
  let cvrf: CvrfDocument;
  try {
    cvrf = text.trimStart().startsWith('{') ? readCvrfJson(parseJson(text)) : readCvrfXml(text);
  } catch (err) {
    if (err instanceof XmlSyntaxError) throw new ParseError(FORMAT, `not well-formed XML: ${err.message}`, { cause: err, ...where(err.line) });
    if (err instanceof NotCvrfError) throw new ParseError(FORMAT, `not a CVRF document: ${err.message}`, { cause: err });
    throw err;
  }
  const docDates = documentDates(cvrf);
  return cvrf.vulnerabilities.map((v, i) => toAdvisory(v, i, cvrf, docDates, doc.sourceId));
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ParseError(FORMAT, `invalid JSON: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

function where(line: number | undefined): { where?: string } {
  return line === undefined ? {} : { where: `line ${line}` };
}

function documentDates(cvrf: CvrfDocument): { published: string; modified: string } {
  const t = cvrf.tracking;
  const published = isoDate(t.initialReleaseDate) ?? earliest(t.revisions) ?? isoDate(t.currentReleaseDate);
  const modified = isoDate(t.currentReleaseDate) ?? latest(t.revisions) ?? published;
  if (published === undefined || modified === undefined) {
    throw new ParseError(FORMAT, `CVRF ${t.id}: no usable InitialReleaseDate, CurrentReleaseDate or revision date`);
  }
  return { published, modified };
}

function toAdvisory(v: CvrfVulnerability, index: number, cvrf: CvrfDocument, docDates: { published: string; modified: string }, sourceId: string): ParsedAdvisory {
  const ident = v.cve ?? `${cvrf.tracking.id}-${v.ordinal ?? index}`;
  const isCve = /^CVE-\d{4}-\d+$/i.test(ident);
  const products = affectedProducts(v, cvrf);
  const remediation = remediationOf(v, ident);
  const vendorSeverity = highestRating(v.threats.filter((t) => t.type === 'Severity').map((t) => t.description));
  const summary = v.notes.find((n) => n.type === 'Description' && n.text !== '')?.text;
  // Sorted once for both ends: isoDate (Date.parse + toISOString) per revision showed in the profile.
  const dates = revisionDates(v.revisions);
  const published = dates[0] ?? docDates.published;
  const modified = dates.at(-1) ?? docDates.modified;
  return {
    id: `msrc:${ident}`,
    kind: 'advisory',
    source: { kind: 'cvrf', id: sourceId },
    title: v.title ?? ident,
    url: `https://msrc.microsoft.com/update-guide/vulnerability/${encodeURIComponent(ident)}`,
    ...(summary === undefined ? {} : { summary: htmlToText(summary) }),
    published,
    modified: modified < published ? published : modified,
    ...(vendorSeverity === undefined ? {} : { vendorSeverity }),
    cvss: cvssSets(v),
    cves: isCve ? [ident.toUpperCase()] : [],
    aliases: isCve ? [] : [ident],
    exploited: exploitation(v),
    products,
    remediation,
    signature: { status: 'not-checked' },
  };
}

/** The highest of MSRC's words, kept verbatim ("Critical"); undefined when none is given. */
function highestRating(words: readonly (string | undefined)[]): string | undefined {
  let best: string | undefined;
  for (const w of words) {
    const rank = w === undefined ? undefined : MSRC_RANK[w.trim().toLowerCase()];
    if (rank !== undefined && (best === undefined || rank > MSRC_RANK[best.toLowerCase()]!)) best = w!.trim();
  }
  return best;
}

function affectedProducts(v: CvrfVulnerability, cvrf: CvrfDocument): AffectedProduct[] {
  const ids = new Set(v.statuses.filter((s) => /affected/i.test(s.type) && !/not affected/i.test(s.type)).flatMap((s) => s.productIds));
  // Per product id, once: looking each id up in every threat and fix was quadratic in the
  // products a vulnerability lists (~100 in a 2025 month) and showed in the profile.
  const severities = new Map<string, (string | undefined)[]>();
  for (const t of v.threats) if (t.type === 'Severity') for (const p of t.productIds) push(severities, p, t.description);
  const fixesOf = new Map<string, CvrfRemediation[]>();
  for (const r of v.remediations) if (r.type === 'Vendor Fix') for (const p of r.productIds) push(fixesOf, p, r);
  // ~5,000 products a month: built by assignment (same key order) rather than four spreads each,
  // and each fix's KB read once rather than once per product it lists (both showed in the profile).
  const kbs = new Map<CvrfRemediation, string | undefined>();
  const kbOfFix = (r: CvrfRemediation): string | undefined => {
    if (!kbs.has(r)) kbs.set(r, kbOf(r));
    return kbs.get(r);
  };
  return [...ids].map((id) => {
    const known = cvrf.products.get(id);
    const severity = highestRating(severities.get(id) ?? []);
    const mine = distinctItems(fixesOf.get(id) ?? []);
    let kb: string | undefined;
    for (const r of mine) if ((kb = kbOfFix(r)) !== undefined) break;
    const fixed = mine.length === 1 ? distinct(mine[0]!.fixedBuilds) : distinct(mine.flatMap((r) => r.fixedBuilds));
    const product: Building<AffectedProduct> = { vendor: 'Microsoft', product: known?.name ?? `MSRC product ${id}` };
    if (known?.cpe !== undefined) product.cpe = known.cpe;
    if (kb !== undefined) product.kb = kb;
    if (fixed.length !== 0) product.fixed = fixed;
    if (severity !== undefined) product.severity = severity;
    return product as AffectedProduct;
  });
}

type Building<T> = { -readonly [K in keyof T]?: T[K] };

/** A Vendor Fix's Description is the KB number ("5050009"); Mariner fixes name a release instead. */
function kbOf(r: CvrfRemediation): string | undefined {
  const n = r.description?.replace(/^KB/i, '');
  return n !== undefined && /^\d{4,8}$/.test(n) ? `KB${n}` : undefined;
}

/** "3210720" → KB3210720; 2017-era "MS16-110, 3187754" → both (a bulletin id stays as is). */
function supersededBy(r: CvrfRemediation): string[] {
  return (r.supercedence ?? '')
    .split(/[,;\s]+/)
    .filter((s) => s !== '')
    .map((s) => (/^\d{4,8}$/.test(s) ? `KB${s}` : s.toUpperCase()));
}

function remediationOf(v: CvrfVulnerability, ident: string): Remediation {
  const fixes = v.remediations.filter((r) => r.type === 'Vendor Fix');
  // Each fix's KB and superseded list read once (they were read twice each; ~5,000 fixes a month).
  const kbOfFix = fixes.map(kbOf);
  const replacedBy = fixes.map(supersededBy);
  const kbs = distinct(kbOfFix.flatMap((kb) => kb ?? []));
  const fixedVersions = distinct(fixes.flatMap((r) => r.fixedBuilds));
  const supersedes = distinct(replacedBy.flat());
  const byKb = new Map<string, string[]>();
  for (let i = 0; i < fixes.length; i++) {
    const kb = kbOfFix[i];
    const replaces = replacedBy[i]!;
    if (kb === undefined || replaces.length === 0) continue;
    byKb.set(kb, distinct([...(byKb.get(kb) ?? []), ...replaces]));
  }
  return {
    ...(kbs.length === 0 ? {} : { kbs }),
    ...(fixedVersions.length === 0 ? {} : { fixedVersions }),
    ...(supersedes.length === 0 ? {} : { supersedes }),
    ...(byKb.size === 0 ? {} : { supersedence: [...byKb].map(([kb, replaces]) => ({ kb, replaces })) }),
    url: `https://msrc.microsoft.com/update-guide/vulnerability/${encodeURIComponent(ident)}`,
  };
}

/** Distinct (version, score, vector) sets; MSRC repeats the same set once per product. */
function cvssSets(v: CvrfVulnerability): CvssScore[] {
  const seen = new Map<string, CvssScore>();
  // MSRC repeats each (BaseScore, Vector) once per product (~5,000 a month for a few hundred
  // distinct): a repeat gives the same set, so it is skipped before the number and regex work.
  const read = new Map<string | undefined, Set<string | undefined>>();
  for (const s of v.scoreSets) {
    const scores = read.get(s.vector);
    if (scores === undefined) read.set(s.vector, new Set([s.baseScore]));
    else if (scores.has(s.baseScore)) continue;
    else scores.add(s.baseScore);
    const score = Number(s.baseScore);
    if (s.baseScore === undefined || !Number.isFinite(score) || score < 0 || score > 10) continue;
    const version = /^CVSS:(\d\.\d)\//.exec(s.vector ?? '')?.[1] ?? (s.vector === undefined ? '3.1' : '2.0');
    const set: CvssScore = s.vector === undefined ? { version, score } : { version, score, vector: s.vector };
    seen.set(`${version}|${score}|${s.vector ?? ''}`, set);
  }
  return [...seen.values()];
}

/** "Publicly Disclosed:No;Exploited:Yes;Latest Software Release:Exploitation Detected" → flags. */
function exploitation(v: CvrfVulnerability): Exploitation {
  let exploited: boolean | undefined;
  let publiclyDisclosed: boolean | undefined;
  for (const t of v.threats) {
    if (t.type !== 'Exploit Status' || t.description === undefined) continue;
    for (const part of t.description.split(';')) {
      const [key = '', value = ''] = part.split(':').map((s) => s.trim().toLowerCase());
      if (key === 'exploited') exploited = (exploited ?? false) || value === 'yes';
      if (key === 'publicly disclosed') publiclyDisclosed = (publiclyDisclosed ?? false) || value === 'yes';
    }
  }
  return { ...(exploited === undefined ? {} : { exploited }), ...(publiclyDisclosed === undefined ? {} : { publiclyDisclosed }) };
}

/** CVRF dates carry no zone ("2025-01-14T08:00:00"): MSRC means UTC. Undefined when unreadable. */
function isoDate(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const zoned = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(value) ? value : `${value}Z`;
  const ms = Date.parse(zoned);
  return Number.isNaN(ms) || !/^\d{4}-\d{2}-\d{2}/.test(value) ? undefined : new Date(ms).toISOString();
}

function revisionDates(revisions: readonly CvrfRevision[]): string[] {
  return revisions.flatMap((r) => isoDate(r.date) ?? []).sort();
}
const earliest = (revisions: readonly CvrfRevision[]): string | undefined => revisionDates(revisions)[0];
const latest = (revisions: readonly CvrfRevision[]): string | undefined => revisionDates(revisions).at(-1);

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

/** The same object listed twice for one product (a ProductID repeated in a Remediation) counts once, as filter() did. */
function distinctItems<T>(values: readonly T[]): T[] {
  return values.length < 2 ? [...values] : [...new Set(values)];
}

function distinct(values: readonly string[]): string[] {
  return values.length < 2 ? [...values] : [...new Set(values)];
}

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** MSRC notes are HTML inside XML text: tags dropped, common entities decoded, whitespace collapsed. */
function htmlToText(html: string): string {
  return html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
      if (e.startsWith('#')) {
        const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
        return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : m;
      }
      return ENTITIES[e.toLowerCase()] ?? m;
    })
    .replace(/\s+/g, ' ')
    .trim();
}
