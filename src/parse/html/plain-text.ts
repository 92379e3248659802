// Plain-text advisories an html source may link to (OpenSSL secadv/*.txt, a DSA text, any text
// naming CVEs): read by the advisory-text parsers the mail sources use (src/parse/text/), so the
// web copy and the mailed copy of one advisory give the same items.
import { ParseError } from '../../errors.js';
import type { ParsedAdvisory } from '../../model/advisory.js';
import type { RawDocument } from '../../model/raw-document.js';
import { parseAdvisoryText } from '../text/index.js';

/** A plain-text page → its advisories; a ParseError (format html, naming the page) when it has none. */
export function parsePlainTextAdvisory(doc: RawDocument, text: string): ParsedAdvisory[] {
  let out: ParsedAdvisory[];
  try {
    out = parseAdvisoryText(text, { source: { kind: doc.sourceKind, id: doc.sourceId }, url: doc.url });
  } catch (err) {
    if (err instanceof ParseError) throw new ParseError('html', `${doc.url}: ${err.message}`, { cause: err });
    throw err;
  }
  if (out.length === 0) throw new ParseError('html', `${doc.url}: plain text that names no advisory (no OpenSSL or Debian layout, no CVE)`);
  return out;
}
