import { constants, gunzipSync } from 'node:zlib';
import { ParseError } from '../errors.js';

// mbox archives (RFC 4155): messages separated by "From " lines. mboxrd writers quote every
// body line matching /^>*From / with one more ">", mboxo writers only /^From /; reading undoes
// that quoting. Archives as Mailman/pipermail and list servers publish them, possibly gzipped.

export type MboxFormat = 'mboxrd' | 'mboxo';

export interface MboxMessage {
  /** 0-based position in the archive. */
  readonly index: number;
  /** Byte offset of the "From " line in the (decompressed) archive. */
  readonly start: number;
  /** Byte offset just past the message (and the blank line closing it). */
  readonly end: number;
  readonly fromLine: string;
  /** The message as it was sent: separator line dropped, "From " quoting undone. */
  readonly raw: Uint8Array;
}

/**
 * A separator: "From " at the start of the archive or after an empty line, then a sender and a
 * time of day (asctime "Sun Jan 29 20:21:37 2017", pipermail "leo at famulari.name  Sun …").
 * Requiring both keeps an unquoted "From here on…" body line from splitting a message.
 */
const SEPARATOR = /(?:^|\n\r?\n)(From [^\n]*?\d{1,2}:\d{2}[^\n]*)\r?\n/g;

/** True when the bytes look like an mbox archive (after any gzip). */
export function looksLikeMbox(bytes: Uint8Array): boolean {
  return Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 5)).toString('latin1') === 'From ';
}

/**
 * Most bytes a .gz archive may unpack to when the caller gives no limit (the mbox source passes
 * its `maxBytes`, which bounds the body after any decoding). A gzip bomb stops here instead of
 * filling the memory: 20 MB of zeros gzip to 20 kB.
 */
export const MAX_UNPACKED_BYTES = 256 * 1024 * 1024;

/** Gzip is recognised by its magic bytes; a truncated stream gives what it holds, and says so. Over `maxBytes` unpacked: a ParseError. */
export function gunzipIfNeeded(bytes: Uint8Array, maxBytes = MAX_UNPACKED_BYTES): { bytes: Uint8Array; problem?: string } {
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return { bytes };
  try {
    return { bytes: new Uint8Array(gunzipSync(bytes, { maxOutputLength: maxBytes })) };
  } catch (err) {
    if (isTooLarge(err)) throw unpacksTooLarge(maxBytes, err);
    let partial: Buffer;
    try {
      partial = gunzipSync(bytes, { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: maxBytes });
    } catch (again) {
      if (isTooLarge(again)) throw unpacksTooLarge(maxBytes, again);
      // Not even a prefix reads (a damaged header): nothing to split.
      throw new ParseError('mbox', `not a readable gzip stream (${(again as Error).message})`, { cause: again });
    }
    return { bytes: new Uint8Array(partial), problem: `gzip stream damaged or truncated (${(err as Error).message}); read ${partial.length} bytes of it` };
  }
}

function isTooLarge(err: unknown): boolean {
  return (err as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE';
}

function unpacksTooLarge(maxBytes: number, cause: unknown): ParseError {
  return new ParseError('mbox', `gzip stream unpacks to more than ${maxBytes} bytes (the maxBytes limit); a gzip bomb or a larger archive than expected`, { cause });
}

/** The messages of an mbox archive from byte `from` on (which must be at a separator). */
export function splitMbox(archive: Uint8Array, options: { readonly format?: MboxFormat; readonly from?: number } = {}): MboxMessage[] {
  const from = options.from ?? 0;
  const text = Buffer.from(archive.buffer, archive.byteOffset, archive.byteLength).toString('latin1').slice(from);
  const seps = [...text.matchAll(SEPARATOR)].map((m) => ({ at: m.index + (m[0].length - m[1]!.length - lineEndLength(m[0])), line: m[1]!, bodyAt: m.index + m[0].length }));
  const unquote = options.format === 'mboxo' ? /^>(From )/gm : /^>(>*From )/gm;
  return seps.map((s, i) => {
    const next = seps[i + 1];
    // The empty line before the next separator belongs to the archive format, not to the message.
    const end = next ? next.at : text.length;
    const closing = text.slice(0, end).endsWith('\r\n\r\n') ? 2 : text.slice(0, end).endsWith('\n\n') ? 1 : 0;
    const stop = next ? end - Math.max(closing, 1) : end - closing;
    const body = text.slice(s.bodyAt, Math.max(s.bodyAt, stop)).replace(unquote, '$1');
    return {
      index: i,
      start: from + s.at,
      end: from + (next ? next.at : text.length),
      fromLine: s.line,
      raw: new Uint8Array(Buffer.from(body, 'latin1')),
    };
  });
}

function lineEndLength(match: string): number {
  return match.endsWith('\r\n') ? 2 : 1;
}
