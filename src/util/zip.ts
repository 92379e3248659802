// Reading zip archives (such as osv.dev's `<ecosystem>/all.zip`) with fflate, bounded: the entry
// count and the unpacked size are checked from the central directory before anything is inflated,
// so a zip bomb is refused instead of filling the memory.
import { unzipSync } from 'fflate';

export interface ZipLimits {
  /** Most entries (of those accepted) one archive may hold. */
  readonly maxEntries: number;
  /** Most bytes the accepted entries may unpack to, together. */
  readonly maxTotalBytes: number;
  /** Most bytes one entry may unpack to; a larger one is skipped and named, the others are read. */
  readonly maxEntryBytes: number;
}

/** Bounds for one archive of records (osv.dev's largest, npm, holds a few hundred thousand). */
export const RECORD_ZIP_LIMITS: ZipLimits = { maxEntries: 500_000, maxTotalBytes: 1024 ** 3, maxEntryBytes: 64 * 1024 ** 2 };

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
 * The entries of `archive` whose name `accept` takes (directories never), in archive order, and
 * those skipped for their size. Throws ZipError when the archive is unreadable or over a limit.
 * fflate inflates an entry into a buffer of its declared size, so an entry that lies about its
 * size comes out cut short (and then fails to parse), never larger than declared.
 */
export function readZip(archive: Uint8Array, limits: ZipLimits, accept: (name: string) => boolean): { entries: ZipEntry[]; skipped: { name: string; reason: string }[] } {
  const skipped: { name: string; reason: string }[] = [];
  const wanted = new Set<string>();
  let total = 0;
  let count = 0;
  // Pass 1: the central directory only (the filter says no to everything), sizes as declared.
  unzip(archive, (f) => {
    if (f.name.endsWith('/') || !accept(f.name)) return false;
    if (++count > limits.maxEntries) throw new ZipError('too-many-entries', `more than ${limits.maxEntries} entries`);
    if (f.originalSize > limits.maxEntryBytes) {
      skipped.push({ name: f.name, reason: `unpacks to ${f.originalSize} bytes, more than the ${limits.maxEntryBytes} allowed per entry` });
      return false;
    }
    total += f.originalSize;
    if (total > limits.maxTotalBytes) {
      throw new ZipError('too-large', `entries unpack to more than ${limits.maxTotalBytes} bytes (the limit); a zip bomb or a bigger archive than expected`);
    }
    wanted.add(f.name);
    return false;
  });
  // Pass 2: inflate what passed.
  const files = unzip(archive, (f) => wanted.has(f.name));
  return { entries: Object.entries(files).map(([name, body]) => ({ name, body })), skipped };
}

function unzip(archive: Uint8Array, filter: (f: { name: string; originalSize: number }) => boolean): Record<string, Uint8Array> {
  try {
    return unzipSync(archive, { filter });
  } catch (err) {
    if (err instanceof ZipError) throw err;
    throw new ZipError('corrupt', `not a readable zip archive: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}
