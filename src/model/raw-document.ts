import type { SourceKind } from './advisory.js';

/** Bytes as fetched, kept exact because signatures and hashes are over bytes. */
export interface RawDocument {
  readonly sourceId: string;
  readonly sourceKind: SourceKind;
  readonly url: string;
  readonly body: Uint8Array;
  readonly contentType?: string;
  readonly fetchedAt: Date;
}
