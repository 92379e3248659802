import type { SourceKind } from './advisory.js';

/** Bytes as fetched, kept exact because signatures and hashes are over bytes. */
export interface RawDocument {
  readonly sourceId: string;
  readonly sourceKind: SourceKind;
  readonly url: string;
  readonly body: Uint8Array;
  readonly contentType?: string;
  readonly fetchedAt: Date;
  /** Verification material fetched with the document (CSAF .asc/.sha256/.sha512, provider keys). */
  readonly companions?: DocumentCompanions;
}

/** A companion file: its bytes, or absent bytes when it was advertised but could not be fetched. */
export interface CompanionFile {
  readonly url: string;
  readonly body?: Uint8Array;
}

/** What the verify stage checks a document against; see src/verify/. */
export interface DocumentCompanions {
  readonly signature?: CompanionFile;
  readonly sha256?: CompanionFile;
  readonly sha512?: CompanionFile;
  /** Public keys the publisher announced (CSAF provider-metadata), each with the fingerprint pinned for it. */
  readonly keys?: readonly AnnouncedKey[];
}

/** A key announced by the publisher; the verify stage refuses it unless its primary fingerprint is `fingerprint`. */
export interface AnnouncedKey {
  readonly url: string;
  readonly fingerprint: string;
  readonly armored?: string;
}
