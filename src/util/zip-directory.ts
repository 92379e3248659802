// The central directory of a zip archive (PKWARE APPNOTE 6.3.10, §4.3.12–4.3.16, ZIP64 §4.3.14–4.3.15
// and §4.5.3): the authoritative list of entries with where each one's data starts. Read here
// rather than through a streaming unzipper because those find entries from the local headers and
// must guess where an entry written with a data descriptor (Go's archive/zip does that) ends.
import { strFromU8 } from 'fflate';

export interface DirectoryEntry {
  readonly name: string;
  /** 0 stored, 8 deflate; anything else is not read. */
  readonly method: number;
  readonly encrypted: boolean;
  /** What the archive claims: used to find the data, never trusted for the unpacked size. */
  readonly compressedSize: number;
  readonly declaredSize: number;
  readonly localHeaderOffset: number;
}

/** The archive's structure is broken: no end record, a directory pointing outside the bytes… */
export class ZipStructureError extends Error {
  override readonly name = 'ZipStructureError';
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const U16_MAX = 0xffff;
const U32_MAX = 0xffffffff;

/** Every entry of the central directory, in directory order. */
export function readCentralDirectory(zip: Uint8Array): DirectoryEntry[] {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const end = findEndRecord(view);
  let count = view.getUint16(end + 10, true);
  let size = view.getUint32(end + 12, true);
  let offset = view.getUint32(end + 16, true);
  if (count === U16_MAX || size === U32_MAX || offset === U32_MAX) {
    const locator = end - 20;
    if (locator >= 0 && view.getUint32(locator, true) === ZIP64_LOCATOR) {
      const at = u64(view, locator + 8);
      if (at + 56 > zip.length || view.getUint32(at, true) !== ZIP64_EOCD) throw new ZipStructureError('the ZIP64 end record is missing or out of place');
      count = u64(view, at + 32);
      size = u64(view, at + 40);
      offset = u64(view, at + 48);
    }
  }
  if (offset + size > zip.length) throw new ZipStructureError('the central directory lies outside the archive');
  const entries: DirectoryEntry[] = [];
  // Read to the directory's end rather than `count` times: writers that do not switch to ZIP64
  // past 65,535 entries store the count modulo 65,536, and no entry may go unseen.
  for (let at = offset; at + 46 <= offset + size && view.getUint32(at, true) === CENTRAL; ) {
    const i = entries.length;
    const flags = view.getUint16(at + 8, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    const next = at + 46 + nameLength + extraLength + commentLength;
    if (next > offset + size) throw new ZipStructureError(`central directory entry ${i + 1} runs past the directory`);
    // Bit 11: the name is UTF-8; otherwise CP437, read as Latin-1 (as fflate does).
    const name = strFromU8(zip.subarray(at + 46, at + 46 + nameLength), (flags & 0x800) === 0);
    const sizes = zip64Sizes(view, at + 46 + nameLength, extraLength, {
      declaredSize: view.getUint32(at + 24, true),
      compressedSize: view.getUint32(at + 20, true),
      localHeaderOffset: view.getUint32(at + 42, true),
    });
    entries.push({ name, method: view.getUint16(at + 10, true), encrypted: (flags & 1) === 1, ...sizes });
    at = next;
  }
  if (entries.length < count) throw new ZipStructureError(`the central directory holds ${entries.length} of the ${count} entries it announces`);
  return entries;
}

/** Where the entry's (compressed) data lies, from its local header; out of bounds is an error. */
export function entryData(zip: Uint8Array, entry: DirectoryEntry): Uint8Array {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const at = entry.localHeaderOffset;
  if (at + 30 > zip.length || view.getUint32(at, true) !== LOCAL) throw new ZipStructureError('its local header is missing');
  const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
  if (start + entry.compressedSize > zip.length) throw new ZipStructureError('its data runs past the end of the archive');
  return zip.subarray(start, start + entry.compressedSize);
}

/** The end-of-central-directory record: the last signature within the 64 KiB comment window. */
function findEndRecord(view: DataView): number {
  const last = view.byteLength - 22;
  for (let at = last; at >= 0 && at >= last - U16_MAX; at--) {
    if (view.getUint32(at, true) === EOCD) return at;
  }
  throw new ZipStructureError('no end of central directory record');
}

/** §4.5.3: the ZIP64 extra field holds, in this order, each value whose 32-bit field is all ones. */
function zip64Sizes(
  view: DataView,
  extraStart: number,
  extraLength: number,
  fields: { declaredSize: number; compressedSize: number; localHeaderOffset: number },
): { declaredSize: number; compressedSize: number; localHeaderOffset: number } {
  const out = { ...fields };
  const wanted = (['declaredSize', 'compressedSize', 'localHeaderOffset'] as const).filter((k) => fields[k] === U32_MAX);
  if (wanted.length === 0) return out;
  for (let at = extraStart; at + 4 <= extraStart + extraLength; ) {
    const id = view.getUint16(at, true);
    const length = view.getUint16(at + 2, true);
    if (id === 0x0001) {
      wanted.forEach((key, i) => {
        if (8 * (i + 1) <= length) out[key] = u64(view, at + 4 + 8 * i);
      });
      return out;
    }
    at += 4 + length;
  }
  return out;
}

/** A little-endian 64-bit count as a number (exact below 2^53; archives are far smaller). */
function u64(view: DataView, at: number): number {
  return view.getUint32(at, true) + view.getUint32(at + 4, true) * 2 ** 32;
}
