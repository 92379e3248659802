import { ParseError, describeError } from '../../errors.js';
import type { ParsedAdvisory } from '../../model/advisory.js';
import type { RawDocument } from '../../model/raw-document.js';
import { gunzipIfNeeded, looksLikeMbox, splitMbox, type MboxMessage } from '../../mail/mbox.js';
import type { Parser } from '../parser.js';
import { messageIdOf } from '../../mail/message-id.js';
import { isOpensslForthcoming, parseOpensslForthcoming } from '../advance/openssl-forthcoming.js';
import { parseAdvisoryText } from '../text/index.js';
import { readMail } from './read-mail.js';

// `mbox` documents: one RFC 822 message (what the mbox source stores per message), or a whole
// archive (`secwatch parse --format mbox archive.mbox[.gz]`).

/** The advisories one message announces; [] for a mail that is not an advisory (a reply, a discussion). */
export async function parseMailMessage(
  raw: Uint8Array,
  doc: Pick<RawDocument, 'sourceId' | 'sourceKind' | 'url'>,
  // Callers add the document's URL to errors; the message is named by its Message-ID.
  label = `message ${messageIdOf(raw) ?? '(no Message-ID)'}`,
): Promise<ParsedAdvisory[]> {
  const mail = await readMail(raw, label);
  // Replies quote advisories; only the original post (or a forward of it) announces one.
  if (!mail.fromClearsigned && mail.subject && /^\s*(?:\[[^\]]*\]\s*)*re:/i.test(mail.subject)) return [];
  try {
    // OpenSSL pre-announces security releases on the same list: an advance notice (src/parse/advance/).
    if (isOpensslForthcoming(mail.text)) {
      const notices = parseOpensslForthcoming({ ...doc, body: raw, fetchedAt: new Date(0) }, mail.text, mail.date);
      return notices.map((n) => ({ ...n, source: { kind: doc.sourceKind, id: doc.sourceId } }));
    }
    return parseAdvisoryText(mail.text, {
      source: { kind: doc.sourceKind, id: doc.sourceId },
      url: doc.url,
      ...(mail.subject ? { subject: mail.subject } : {}),
      ...(mail.date ? { date: mail.date } : {}),
      ...(mail.messageId ? { messageId: mail.messageId } : {}),
    });
  } catch (err) {
    if (err instanceof ParseError) throw new ParseError('mbox', `${label}: ${err.message}`, { cause: err });
    throw err;
  }
}

/** One message's outcome when reading a whole archive. */
export type MessageOutcome =
  | { readonly message: MboxMessage; readonly advisories: readonly ParsedAdvisory[] }
  | { readonly message: MboxMessage; readonly error: ParseError };

/** Every message of an archive, each parsed on its own: one broken message never hides the others. */
export async function parseMboxArchive(
  body: Uint8Array,
  doc: Pick<RawDocument, 'sourceId' | 'sourceKind' | 'url'>,
  options: { readonly format?: 'mboxrd' | 'mboxo' } = {},
): Promise<{ outcomes: MessageOutcome[]; problems: string[] }> {
  const { bytes, problem } = gunzipIfNeeded(body);
  const outcomes: MessageOutcome[] = [];
  for (const message of splitMbox(bytes, options.format ? { format: options.format } : {})) {
    const id = messageIdOf(message.raw);
    const label = `${doc.url} message ${message.index + 1} (byte ${message.start}${id ? `, ${id}` : ''})`;
    try {
      outcomes.push({ message, advisories: await parseMailMessage(message.raw, doc, label) });
    } catch (err) {
      const error = err instanceof ParseError ? err : new ParseError('mbox', `${label}: ${describeError(err)}`, { cause: err });
      outcomes.push({ message, error });
    }
  }
  return { outcomes, problems: problem ? [`${doc.url}: ${problem}`] : [] };
}

/** The `mbox` parser: a single message, or an archive whose broken messages are skipped as long as one reads. */
export const parseMbox: Parser = async (doc) => {
  const { bytes } = gunzipIfNeeded(doc.body);
  if (!looksLikeMbox(bytes)) return parseMailMessage(doc.body, doc);
  const { outcomes } = await parseMboxArchive(doc.body, doc);
  const errors = outcomes.flatMap((o) => ('error' in o ? [o.error] : []));
  if (outcomes.length === 0) throw new ParseError('mbox', `${doc.url}: no "From " separated message in the archive`);
  if (errors.length === outcomes.length) throw new ParseError('mbox', errors.map((e) => e.message).join('; '), { cause: errors[0] });
  return outcomes.flatMap((o) => ('advisories' in o ? o.advisories : []));
};
