// Reading zip archives (such as osv.dev's `<ecosystem>/all.zip`), bounded by what the entries
// really unpack to: the sizes an archive declares are never trusted (a lying header must not make
// us allocate a gigabyte, nor let a "small" entry unpack without end). Entries come from the
// central directory (src/util/zip-directory.ts); each is inflated by zlib with `maxOutputLength`,
// so inflating stops at the limit instead of after the whole output exists.
import { inflateRawSync } from 'node:zlib';
import { entryData, readCentralDirectory, type DirectoryEntry } from './zip-directory.js';

export interface ZipLimits {
  /** Most entries (of those accepted) one archive may hold. */
  readonly maxEntries: number;
  /** Most bytes inflating the accepted entries may produce, together (skipped ones included). */
  readonly maxTotalBytes: number;
  /** Most bytes one entry may unpack to; a larger one is skipped and named, the others are read. */
  readonly maxEntryBytes: number;
}

/** Default bounds for one archive of records (osv.dev's largest, npm, holds a few hundred thousand); config `fetch.zip`. */
export const DEFAULT_ZIP_MAX_ENTRIES = 500_000;
export const DEFAULT_ZIP_MAX_TOTAL_BYTES = 1024 ** 3;
export const RECORD_ZIP_LIMITS: ZipLimits = { maxEntries: DEFAULT_ZIP_MAX_ENTRIES, maxTotalBytes: DEFAULT_ZIP_MAX_TOTAL_BYTES, maxEntryBytes: 64 * 1024 ** 2 };

export interface ZipEntry {
  readonly name: string;
  readonly body: Uint8Array;
}

/** Why an archive was refused as a whole. */
export class ZipError extends Error {
  constructor(
    readonly kind: 'too-many-entries' | 'too-large' | 'corrupt',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ZipError';
  }
}

/** Local file header or end-of-central-directory (an empty archive) signature. */
export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && ((bytes[2] === 0x03 && bytes[3] === 0x04) || (bytes[2] === 0x05 && bytes[3] === 0x06));
}

/**
 * The entries of `archive` whose name `accept` takes (directories never), in directory order (a
 * name listed twice: the last copy), and those skipped with the reason: over `maxEntryBytes`,
 * damaged, encrypted or compressed other than stored/deflate. Throws ZipError when the archive is
 * unreadable, holds more than `maxEntries` accepted entries (checked before inflating anything) or
 * inflating produces more than `maxTotalBytes`.
 */
export function readZip(archive: Uint8Array, limits: ZipLimits, accept: (name: string) => boolean): { entries: ZipEntry[]; skipped: { name: string; reason: string }[] } {
  const wanted = directory(archive).filter((e) => !e.name.endsWith('/') && accept(e.name));
  if (wanted.length > limits.maxEntries) throw new ZipError('too-many-entries', `more than ${limits.maxEntries} entries`);
  const skipped: { name: string; reason: string }[] = [];
  const bodies = new Map<string, Uint8Array>();
  let produced = 0;
  for (const entry of wanted) {
    const remaining = limits.maxTotalBytes - produced;
    const cap = Math.min(limits.maxEntryBytes, remaining);
    const read = readEntry(archive, entry, cap);
    produced += read.produced;
    if ('body' in read) {
      bodies.set(entry.name, read.body);
      continue;
    }
    // Over the cap: the entry's own limit, unless the archive's total was the tighter one.
    if (read.reason === 'over-cap' && cap < limits.maxEntryBytes) {
      throw new ZipError('too-large', `entries unpack to more than ${limits.maxTotalBytes} bytes (the limit); a zip bomb or a bigger archive than expected`);
    }
    bodies.delete(entry.name);
    skipped.push({ name: entry.name, reason: read.reason === 'over-cap' ? `unpacks to more than the ${limits.maxEntryBytes} bytes allowed per entry` : read.reason });
  }
  return { entries: [...bodies].map(([name, body]) => ({ name, body })), skipped };
}

function directory(archive: Uint8Array): DirectoryEntry[] {
  try {
    return readCentralDirectory(archive);
  } catch (err) {
    // A directory field pointing past the end makes DataView throw RangeError: the same "corrupt".
    throw new ZipError('corrupt', `not a readable zip archive: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

type EntryRead = { readonly body: Uint8Array; readonly produced: number } | { readonly reason: string; readonly produced: number };

/** One entry's bytes, never more than `cap` of them produced; `produced` counts the work done. */
function readEntry(archive: Uint8Array, entry: DirectoryEntry, cap: number): EntryRead {
  if (entry.encrypted) return { reason: 'encrypted; not read', produced: 0 };
  if (entry.method !== 0 && entry.method !== 8) return { reason: `compression method ${entry.method} is not supported (only stored and deflate)`, produced: 0 };
  let data: Uint8Array;
  try {
    data = entryData(archive, entry);
  } catch (err) {
    return { reason: `damaged: ${err instanceof Error ? err.message : String(err)}`, produced: 0 };
  }
  if (entry.method === 0) return data.length > cap ? { reason: 'over-cap', produced: 0 } : { body: data, produced: data.length };
  try {
    // zlib grows its output chunk by chunk and throws once it would pass maxOutputLength.
    const body = inflateRawSync(data, { maxOutputLength: Math.max(cap, 1) });
    if (body.length > cap) return { reason: 'over-cap', produced: body.length };
    return { body: new Uint8Array(body.buffer, body.byteOffset, body.byteLength), produced: body.length };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') return { reason: 'over-cap', produced: cap };
    return { reason: `damaged: cannot be inflated (${err instanceof Error ? err.message : String(err)})`, produced: 0 };
  }
}
