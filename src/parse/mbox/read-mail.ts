import { ParseError, describeError } from '../../errors.js';
import { findClearsignedBlocks } from '../../mail/clearsigned.js';
import { parseMimeTree } from '../../mail/mime-tree.js';

// One RFC 822 message read for its advisory: envelope facts (mailparser decodes RFC 2047 words,
// dates and transfer encodings) and the text that speaks — the clearsigned block when there is
// one (what the signature vouches for; in a forward, the original advisory), else the body.

export interface MailFacts {
  readonly messageId?: string;
  readonly subject?: string;
  /** ISO 8601 from the Date header. */
  readonly date?: string;
  readonly from?: string;
  /** The advisory text: the first clearsigned block's signed text, else the plain-text body. */
  readonly text: string;
  /** Whether `text` is the signed text of a clearsigned block. */
  readonly fromClearsigned: boolean;
}

/** Read a message; throws ParseError (naming `label`) for a message whose MIME structure is broken. */
export async function readMail(raw: Uint8Array, label: string): Promise<MailFacts> {
  const tree = parseMimeTree(raw);
  if (tree.problems.length > 0) throw new ParseError('mbox', `${label}: broken MIME structure: ${tree.problems.join('; ')}`);
  let parsed;
  try {
    // Imported on first use: mailparser is the largest part of loading the parsers (CLI cold start).
    const { simpleParser } = await import('mailparser');
    parsed = await simpleParser(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength), { skipHtmlToText: false, skipTextLinks: true, skipImageLinks: true });
  } catch (err) {
    throw new ParseError('mbox', `${label}: unreadable mail: ${describeError(err)}`, { cause: err });
  }
  const body = parsed.text ?? '';
  const block = findClearsignedBlocks(body)[0];
  const from = parsed.from?.value[0]?.address;
  const date = parsed.date && !Number.isNaN(parsed.date.getTime()) ? parsed.date.toISOString() : undefined;
  return {
    ...(parsed.messageId ? { messageId: parsed.messageId } : {}),
    ...(parsed.subject ? { subject: parsed.subject } : {}),
    ...(date ? { date } : {}),
    ...(from ? { from } : {}),
    text: block ? block.text : body,
    fromClearsigned: block !== undefined,
  };
}
