// `--format auto`: which parser a document's own bytes call for. Apart from the parsers (index.ts)
// so `secwatch parse` can sniff a file without loading every parser's libraries (cold start).
import { isNodejsPost } from './advance/nodejs-post.js';
import { isKevCsv } from './kev/csv.js';
import type { DocumentFormat } from './parser.js';
import { looksLikeMailOrMbox } from '../mail/sniff.js';
import { isZip } from '../util/zip.js';

/** How much of a document `--format auto` decodes to find an XML root element (prolog, comments). */
const XML_SNIFF_BYTES = 64 * 1024;

/**
 * `--format auto`: the format a document's own bytes claim, or undefined if none fits. Only sniffs
 * (a malformed catalog is still "kev", so its parser can say where it breaks).
 */
export function detectFormat(body: Uint8Array): DocumentFormat | undefined {
  // A zip: osv.dev's all.zip of OSV records is the only archive a parser reads.
  if (isZip(body)) return 'osv';
  const head = decodeHead(body.subarray(0, XML_SNIFF_BYTES));
  if (head.startsWith('{')) {
    const text = body.length <= XML_SNIFF_BYTES ? head : new TextDecoder('utf-8').decode(body);
    if (/"catalogVersion"\s*:/.test(text) && /"vulnerabilities"\s*:/.test(text)) return 'kev';
    // CSAF 2.0 §3.2.1.4: every document carries document.csaf_version.
    if (/"csaf_version"\s*:/.test(text) && /"document"\s*:/.test(text)) return 'csaf';
    // MSRC CVRF in its JSON form: { DocumentTracking: …, Vulnerability: [...] }.
    if (/"DocumentTracking"\s*:/.test(text) && /"(?:Vulnerability|ProductTree)"\s*:/.test(text)) return 'cvrf';
    return isOsvJson(text) ? 'osv' : undefined;
  }
  // A JSON array of OSV records (an export, a merged folder).
  if (head.startsWith('[')) return isOsvJson(head) ? 'osv' : undefined;
  if (isKevCsv(head)) return 'kev';
  const root = skipXmlProlog(head);
  if (/^<(?:cvrf:)?cvrfdoc[\s>/]/.test(root)) return 'cvrf';
  if (/^<(?:rss|rdf:RDF|feed)[\s>/]/.test(root)) return 'rss';
  // Mailing-list archives and single messages (an OpenSSL advisory mailed is read as mail).
  if (looksLikeMailOrMbox(head)) return 'mbox';
  // Release pre-announcements and OpenSSL's plain-text advisory pages (mail copies are the mbox parser's).
  if (isNodejsPost(head) || /^The OpenSSL project team would like to announce the forthcoming release/.test(head)) return 'advance';
  return /^OpenSSL Security Advisory \[/.test(head) ? 'html' : undefined;
}

/** OSV records always carry "id" and "modified", and "affected" or "schema_version" in practice. */
function isOsvJson(text: string): boolean {
  return /"id"\s*:/.test(text) && /"modified"\s*:/.test(text) && /"(?:affected|schema_version|aliases)"\s*:/.test(text);
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
