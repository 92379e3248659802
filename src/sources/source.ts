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

export type SourceFactory = (config: SourceConfig, defaults: { readonly maxBytes: number }) => Source;
