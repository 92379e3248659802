// CISA Known Exploited Vulnerabilities catalog: https://www.cisa.gov/known-exploited-vulnerabilities-catalog
// (schema: https://github.com/cisagov/kev-data/blob/develop/known_exploited_vulnerabilities_schema.json)
import type { z } from 'zod';
import { ParseError } from '../../errors.js';
import type { ParsedAdvisory } from '../../model/advisory.js';
import type { RawDocument } from '../../model/raw-document.js';
import type { Parser } from '../parser.js';
import { isKevCsv, kevCsvToCatalog } from './csv.js';
import { kevCatalogSchema, type KevCatalog, type KevVulnerability } from './wire.js';

const FORMAT = 'kev';

/** One advisory per catalog entry, in catalog order; a KEV listing means "exploited" by definition. */
export const parseKev: Parser = (doc) => Promise.resolve().then(() => kevToAdvisories(doc));

function kevToAdvisories(doc: RawDocument): ParsedAdvisory[] {
  const catalog = readCatalog(doc.body);
  return catalog.vulnerabilities.map((v) => toAdvisory(v, doc.sourceId));
}

function readCatalog(body: Uint8Array): KevCatalog {
  // Lenient decoding: one bad byte in a description should not cost the whole catalog.
  const text = new TextDecoder('utf-8').decode(body);
  let json: unknown;
  if (isKevCsv(text)) {
    json = kevCsvToCatalog(text);
  } else {
    try {
      json = JSON.parse(text);
    } catch (err) {
      throw jsonError(text, err);
    }
  }
  const result = kevCatalogSchema.safeParse(json);
  if (!result.success) throw shapeError(result.error);
  return result.data;
}

function toAdvisory(v: KevVulnerability, sourceId: string): ParsedAdvisory {
  const listed = `${v.dateAdded}T00:00:00.000Z`;
  const url = v.notes === undefined ? undefined : firstLink(v.notes);
  return {
    id: `kev:${v.cveID}`,
    kind: 'advisory',
    source: { kind: 'kev', id: sourceId },
    title: v.vulnerabilityName,
    url: `https://nvd.nist.gov/vuln/detail/${v.cveID}`,
    summary: v.shortDescription,
    published: listed,
    modified: listed,
    cvss: [],
    cves: [v.cveID],
    aliases: [],
    exploited: {
      exploited: true,
      kev: { dateAdded: v.dateAdded, dueDate: v.dueDate, ransomware: v.knownRansomwareCampaignUse === 'Known' },
    },
    products: [{ vendor: v.vendorProject, product: v.product }],
    remediation: url === undefined ? { action: v.requiredAction } : { action: v.requiredAction, url },
    signature: { status: 'not-checked' },
  };
}

/**
 * The first http(s) URL in free text. CISA separates links with " ; ", ";", ", " or spaces and
 * sometimes wraps one in parentheses or ends a sentence with it, so those never belong to the URL.
 */
function firstLink(notes: string): string | undefined {
  const found = /https?:\/\/[^\s;,"'<>]+/i.exec(notes)?.[0];
  if (found === undefined) return undefined;
  let url = found.replace(/[.:!?]+$/, '');
  while (url.endsWith(')') && count(url, '(') < count(url, ')')) url = url.slice(0, -1);
  return url;
}

function count(s: string, ch: string): number {
  return s.split(ch).length - 1;
}

/** V8 says "... in JSON at position N" (Node 22+ adds "(line L column C)"); we report line and column. */
function jsonError(text: string, err: unknown): ParseError {
  const raw = err instanceof Error ? err.message : String(err);
  const at = /\s*in JSON at position (\d+)(?:\s*\(line \d+ column \d+\))?/.exec(raw);
  let position: number | undefined = at?.[1] === undefined ? undefined : Number(at[1]);
  if (position === undefined && /^Unexpected end of JSON input/.test(raw)) position = text.length;
  const cause = (at === null ? raw : raw.replace(at[0], '')).replace(/\s+/g, ' ').trim();
  if (position === undefined) return new ParseError(FORMAT, `invalid JSON: ${cause}`, { cause: err });
  const where = lineColumn(text, position);
  return new ParseError(FORMAT, `invalid JSON at ${where}: ${cause}`, { cause: err, where });
}

/** 1-based line and column of a UTF-16 offset, counting "\n" (so "\r\n" files count right too). */
function lineColumn(text: string, position: number): string {
  const end = Math.min(Math.max(position, 0), text.length);
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return `line ${line} column ${end - lineStart + 1}`;
}

function shapeError(error: z.ZodError): ParseError {
  const [first, ...rest] = error.issues;
  const where = formatPath(first?.path ?? []);
  const more = rest.length === 0 ? '' : ` (and ${rest.length} more)`;
  const message = `not a KEV catalog: ${where}: ${first?.message ?? 'invalid'}${more}`;
  return new ParseError(FORMAT, message, { cause: error, where });
}

/** ['vulnerabilities', 12, 'dueDate'] → "vulnerabilities[12].dueDate"; [] → "(root)". */
function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$]*$/.test(key)) out += out === '' ? key : `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out === '' ? '(root)' : out;
}
