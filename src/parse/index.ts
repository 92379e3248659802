import { isKevCsv } from './kev/csv.js';
import { parseKev } from './kev/to-advisory.js';
import type { DocumentFormat, Parser } from './parser.js';
import { parseRss } from './rss/to-advisory.js';

export type { DocumentFormat, ParseOptions, Parser } from './parser.js';
export { parseKev, parseRss };

/** Every format has exactly one parser; the compiler flags a format added without one. */
export const parsers = {
  kev: parseKev,
  rss: parseRss,
} satisfies Record<DocumentFormat, Parser>;

/** How much of a document `--format auto` decodes to find an XML root element (prolog, comments). */
const XML_SNIFF_BYTES = 64 * 1024;

/**
 * `--format auto`: the format a document's own bytes claim, or undefined if none fits. Only sniffs
 * (a malformed catalog is still "kev", so its parser can say where it breaks).
 */
export function detectFormat(body: Uint8Array): DocumentFormat | undefined {
  const head = decodeHead(body.subarray(0, XML_SNIFF_BYTES));
  if (head.startsWith('{')) {
    const text = body.length <= XML_SNIFF_BYTES ? head : new TextDecoder('utf-8').decode(body);
    return /"catalogVersion"\s*:/.test(text) && /"vulnerabilities"\s*:/.test(text) ? 'kev' : undefined;
  }
  if (isKevCsv(head)) return 'kev';
  const root = skipXmlProlog(head);
  return /^<(?:rss|rdf:RDF|feed)[\s>/]/.test(root) ? 'rss' : undefined;
}

/** Text without BOM and leading whitespace; UTF-16 feeds are recognised by their BOM. */
function decodeHead(bytes: Uint8Array): string {
  const utf16 =
    bytes[0] === 0xfe && bytes[1] === 0xff ? 'utf-16be' : bytes[0] === 0xff && bytes[1] === 0xfe ? 'utf-16le' : undefined;
  return new TextDecoder(utf16 ?? 'utf-8').decode(bytes).trimStart();
}

/** Drops the XML declaration, processing instructions, comments and a DOCTYPE before the root element. */
function skipXmlProlog(text: string): string {
  let rest = text;
  for (;;) {
    const next = rest.replace(/^(?:<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^[>]*(?:\[[\s\S]*?\])?\s*>)\s*/, '');
    if (next === rest) return rest;
    rest = next;
  }
}
