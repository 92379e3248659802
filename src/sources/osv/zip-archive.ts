// osv.dev publishes each ecosystem as one zip of OSV records (gs://osv-vulnerabilities/<eco>/all.zip,
// https://osv-vulnerabilities.storage.googleapis.com/PyPI/all.zip). One document per *.json entry,
// so a bad record is reported by name and the others are still ingested.
import { FetchError, ParseError } from '../../errors.js';
import type { RawDocument } from '../../model/raw-document.js';
import { sha256Hex } from '../../util/hash.js';
import { readZip, ZipError, type ZipLimits } from '../../util/zip.js';

/** Entry name → the first 16 hex digits of its SHA-256: a changed archive yields only changed entries. */
export type ZipEntryHashes = Readonly<Record<string, string>>;

export interface ZipDocuments {
  readonly documents: RawDocument[];
  /** Every entry of this archive with its hash: the cursor to commit once the documents are ingested. */
  readonly entries: ZipEntryHashes;
  /** Entries skipped, each "source: url#entry: cause". */
  readonly problems: string[];
}

/**
 * The *.json entries of a fetched zip as documents (url `<zip url>#<entry name>`), leaving out those
 * whose bytes are the same as at the last ingested poll. A zip over the limits (a zip bomb: more
 * entries or more inflated bytes than `limits` allow) fails the poll with FETCH_TOO_LARGE, an
 * unreadable one with PARSE_INVALID, each naming the archive.
 */
export function zipDocuments(
  zip: { readonly sourceId: string; readonly url: string; readonly body: Uint8Array; readonly fetchedAt: Date },
  previous: ZipEntryHashes,
  limits: ZipLimits,
): ZipDocuments {
  let read;
  try {
    read = readZip(zip.body, limits, (name) => name.toLowerCase().endsWith('.json'));
  } catch (err) {
    if (!(err instanceof ZipError)) throw err;
    const message = `${zip.url}: ${err.message}`;
    throw err.kind === 'corrupt' ? new ParseError('osv', message, { cause: err }) : new FetchError('too-large', zip.url, message, { cause: err });
  }
  const entries: Record<string, string> = {};
  const documents: RawDocument[] = [];
  for (const { name, body } of read.entries) {
    const hash = sha256Hex(body).slice(0, 16);
    entries[name] = hash;
    if (previous[name] === hash) continue;
    documents.push({ sourceId: zip.sourceId, sourceKind: 'osv', url: `${zip.url}#${encodeURI(name)}`, body, fetchedAt: zip.fetchedAt, contentType: 'application/json' });
  }
  const problems = read.skipped.map((s) => `${zip.sourceId}: ${zip.url}#${encodeURI(s.name)}: ${s.reason}`);
  return { documents, entries, problems };
}
