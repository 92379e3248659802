import { sha256Hex } from '../util/hash.js';

/** The Message-ID header of a raw message ("<…>"), read without a full parse; undefined when absent. */
export function messageIdOf(raw: Uint8Array): string | undefined {
  const text = Buffer.from(raw.buffer, raw.byteOffset, Math.min(raw.byteLength, 64 * 1024)).toString('latin1');
  const header = text.split(/\r?\n\r?\n/)[0] ?? '';
  const m = /^message-id:\s*(<[^>\s]+>)/im.exec(header.replace(/\r?\n[ \t]+/g, ' '));
  return m?.[1];
}

/**
 * The top-level headers that change what the parsers and the verifier read out of a message. The
 * others (Received, Delivered-To, List-*, Archived-At…) differ between two deliveries or archive
 * copies of the same mail, so they are left out of its identity.
 */
const CONTENT_HEADERS = new Set(['from', 'sender', 'subject', 'date', 'message-id', 'mime-version', 'content-type', 'content-transfer-encoding']);

/**
 * How a message is recognised across polls: its Message-ID together with a hash of its content
 * (the headers above and the whole body). A Message-ID alone is not enough: anyone can send a mail
 * carrying the genuine advisory's Message-ID, and if it reached the archive first the genuine one
 * would be skipped as already seen. With the content in the key both are read (the verifier tells
 * them apart), while the same mail seen again — redelivered, or in a re-generated archive — is not.
 */
export function messageKey(raw: Uint8Array): string {
  const content = sha256Hex(contentOf(raw));
  const id = messageIdOf(raw);
  return id ? `${id} sha256:${content}` : `sha256:${content}`;
}

/** Content headers (names lower-cased, folding and spacing normalised, in order) + the body, line ends as LF. */
function contentOf(raw: Uint8Array): string {
  const text = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('latin1').replace(/\r\n/g, '\n');
  const split = text.indexOf('\n\n');
  const head = split < 0 ? text : text.slice(0, split);
  const body = split < 0 ? '' : text.slice(split + 2);
  const headers = head
    .replace(/\n[ \t]+/g, ' ')
    .split('\n')
    .map((line) => /^([^:\s]+):\s*(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null && CONTENT_HEADERS.has(m[1]!.toLowerCase()))
    .map((m) => `${m[1]!.toLowerCase()}: ${m[2]!.replace(/\s+/g, ' ').trim()}`);
  return `${headers.join('\n')}\n\n${body}`;
}
