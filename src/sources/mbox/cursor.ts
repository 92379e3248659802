// What an mbox source remembers between polls (stored as the source cursor, JSON).

export interface MboxCursor {
  /** Byte offset (in the decompressed archive) of the last message read: the next poll splits from there. */
  readonly offset: number;
  /** SHA-256 of the archive's first `offset` bytes: if they changed, the archive was rewritten and is read whole. */
  readonly prefixSha256: string;
  /** Keys (Message-ID + content hash, see messageKey) of the messages already yielded, newest last, capped. */
  readonly seen: readonly string[];
  /** Maildir: file names (without flags) already read. */
  readonly files?: readonly string[];
}

/** How many message keys a cursor keeps: a list archive's months, not its whole history. */
export const MAX_SEEN = 20_000;

export const EMPTY_CURSOR: MboxCursor = { offset: 0, prefixSha256: '', seen: [] };

/** The stored cursor, or an empty one when absent or not of this shape (a source changed kind). */
export function readMboxCursor(value: unknown): MboxCursor {
  if (typeof value !== 'object' || value === null) return EMPTY_CURSOR;
  const v = value as Record<string, unknown>;
  const strings = (x: unknown): string[] => (Array.isArray(x) ? x.filter((s): s is string => typeof s === 'string') : []);
  return {
    offset: typeof v.offset === 'number' && Number.isInteger(v.offset) && v.offset >= 0 ? v.offset : 0,
    prefixSha256: typeof v.prefixSha256 === 'string' ? v.prefixSha256 : '',
    seen: strings(v.seen),
    ...(Array.isArray(v.files) ? { files: strings(v.files) } : {}),
  };
}

/** Append keys, dropping the oldest past MAX_SEEN. */
export function remember(seen: readonly string[], keys: readonly string[]): string[] {
  const known = new Set(seen);
  const all = [...seen, ...keys.filter((k) => !known.has(k))];
  return all.slice(Math.max(0, all.length - MAX_SEEN));
}
