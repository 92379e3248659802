import type { SourceConfig } from '../config/schema.js';
import type { SourceKind } from '../model/advisory.js';
import type { RawDocument } from '../model/raw-document.js';
import type { HttpClient, Validators } from '../net/http-client.js';
import type { SourceState } from '../store/store.js';
import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/logger.js';

/** What a source needs from the world; injected so tests drive it with real local servers. */
export interface SourceContext {
  readonly http: HttpClient;
  readonly clock: Clock;
  readonly log: Logger;
  readonly signal?: AbortSignal;
}

export type FetchResult =
  | { readonly status: 'not-modified'; readonly validators: Validators; readonly cursor?: unknown }
  | {
      readonly status: 'ok';
      readonly documents: readonly RawDocument[];
      readonly validators: Validators;
      readonly cursor?: unknown;
      /** Documents of this poll that could not be fetched ("source: url: cause"); the others still count. */
      readonly problems?: readonly string[];
    };

/** A place that publishes bulletins: knows how to list and download its documents, nothing more. */
export interface Source {
  readonly id: string;
  readonly kind: SourceKind;
  readonly config: SourceConfig;
  /** Fetch what is new since `state` (validators and cursor from the previous poll). */
  fetch(ctx: SourceContext, state: SourceState | undefined): Promise<FetchResult>;
}

/** What the global config gives every source (`fetch.*`); each source's own keys override them. */
export interface SourceDefaults {
  readonly maxBytes: number;
  /** fetch.maxDocumentsPerPoll: a source that lists documents fetches at most this many per poll. */
  readonly maxDocuments?: number;
  /** fetch.zip: bounds of a zip of records (`maxEntryBytes` unset: the source's maxBytes). */
  readonly zip?: { readonly maxEntries: number; readonly maxBytes: number; readonly maxEntryBytes?: number | undefined };
}

export type SourceFactory = (config: SourceConfig, defaults: SourceDefaults) => Source;

/** Most documents one poll of `config` may fetch, if any limit is set. */
export function documentCap(config: SourceConfig, defaults: SourceDefaults): number | undefined {
  return config.maxDocuments ?? defaults.maxDocuments;
}
