// Advance notifications of security releases (DESIGN.md "advance"): which dialect a document is,
// then its reader. Node.js release posts, OpenSSL forthcoming-release mails and Microsoft's monthly
// bulletin pages (advance notification, then the summary that replaced it) are understood.
import { ParseError } from '../../errors.js';
import type { ParsedAdvisory } from '../../model/advisory.js';
import type { RawDocument } from '../../model/raw-document.js';
import type { Parser } from '../parser.js';
import { isNodejsPost, parseNodejsPost } from './nodejs-post.js';
import { isOpensslForthcoming, parseOpensslForthcoming } from './openssl-forthcoming.js';
import { isMsrcBulletinMonth, parseMsrcBulletinMonth } from './msrc-bulletin-month.js';

const FORMAT = 'advance';
/** Advance notices are short; anything larger is not one (and bounds the regex work). */
const MAX_CHARS = 2_000_000;

/** A document → its advance notice (and, for a post made after the release, the advisories it published). */
// eslint-disable-next-line @typescript-eslint/require-await -- a Parser is async; this one has nothing to wait for
export const parseAdvance: Parser = async (doc) => parseAdvanceSync(doc);

export function parseAdvanceSync(doc: RawDocument): ParsedAdvisory[] {
  const text = new TextDecoder('utf-8').decode(doc.body);
  if (text.length > MAX_CHARS) throw new ParseError(FORMAT, `${doc.url}: ${text.length} characters is too long for an advance notification`);
  if (isNodejsPost(text)) return parseNodejsPost(doc, text);
  if (isOpensslForthcoming(text)) return parseOpensslForthcoming(doc, text, mailDate(text));
  if (isMsrcBulletinMonth(text)) return parseMsrcBulletinMonth(doc, text);
  throw new ParseError(FORMAT, `${doc.url}: not a known advance notification (a Node.js security-release post, an OpenSSL forthcoming-release mail or a Microsoft bulletin advance notification/summary page)`);
}

/** The Date: header of a mail, as ISO 8601, when the text is a whole message. */
function mailDate(text: string): string | undefined {
  const head = text.split(/\r?\n\r?\n/, 1)[0] ?? '';
  const m = /^Date:\s*(.+)$/im.exec(head);
  const t = m ? new Date(m[1]!.trim()) : undefined;
  return t && !Number.isNaN(t.getTime()) ? t.toISOString() : undefined;
}
