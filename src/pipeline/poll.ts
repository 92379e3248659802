import { FetchError, describeError } from '../errors.js';
import type { HttpClient } from '../net/http-client.js';
import { redactUrl } from '../util/redact.js';
import type { RawDocument } from '../model/raw-document.js';
import type { Source } from '../sources/source.js';
import type { SourceState, Store } from '../store/store.js';
import { sha256Hex } from '../util/hash.js';
import type { Deps } from './deps.js';

export type PollOutcome =
  | { readonly status: 'not-modified' }
  | { readonly status: 'ok'; readonly documents: readonly RawDocument[]; readonly problems: readonly string[]; readonly commit: () => Promise<void> };

/**
 * Where a poll reads its source's last state and keeps the new state of a 304: the store row by
 * row (a BullMQ poll job, the inline runner), or a whole cycle's batch (cycle-states.ts).
 */
export interface PollStates {
  previous(sourceId: string): Promise<SourceState | undefined>;
  notModified(state: SourceState): Promise<void>;
}

/** Straight to the store, one row per call. */
export function storeStates(store: Store): PollStates {
  return { previous: (sourceId) => store.getSourceState(sourceId), notModified: (state) => store.saveSourceState(state) };
}

/**
 * Stage 1: fetch what a source has now and keep the exact bytes. The new validators/cursor are
 * saved only by `commit()`, after the documents were ingested — a document that fails to parse
 * is fetched again next time instead of being skipped by a 304.
 */
export async function pollSource(deps: Deps, source: Source, states: PollStates = storeStates(deps.store)): Promise<PollOutcome> {
  const previous = await states.previous(source.id);
  const now = deps.clock.now().toISOString();
  const result = await source.fetch({ http: withSourceTimeout(deps.http, source.config.timeout), clock: deps.clock, log: deps.log }, previous);
  const base: SourceState = { ...previous, sourceId: source.id, validators: previous?.validators ?? {}, lastPollAt: now };
  if (result.status === 'not-modified') {
    await states.notModified(withoutError({ ...base, validators: result.validators, lastSuccessAt: now }));
    return { status: 'not-modified' };
  }
  // Checked before anything is stored: a refused poll leaves no trace but its error, and its cursor stays put.
  const maxDocuments = source.config.maxDocuments ?? deps.config.fetch.maxDocumentsPerPoll;
  if (result.documents.length > maxDocuments) {
    throw new FetchError(
      'too-large',
      redactUrl(source.config.url),
      `${redactUrl(source.config.url)}: the poll yields ${result.documents.length} documents, more than the limit of ${maxDocuments} (maxDocuments / fetch.maxDocumentsPerPoll)`,
    );
  }
  for (const doc of result.documents) {
    await deps.store.putDocument({
      sha256: sha256Hex(doc.body),
      sourceId: doc.sourceId,
      url: doc.url,
      body: doc.body,
      fetchedAt: doc.fetchedAt.toISOString(),
      ...(doc.contentType ? { contentType: doc.contentType } : {}),
    });
  }
  return {
    status: 'ok',
    documents: result.documents,
    problems: result.problems ?? [],
    commit: () =>
      deps.store.saveSourceState(
        withoutError({ ...base, validators: result.validators, lastSuccessAt: now, ...(result.cursor === undefined ? {} : { cursor: result.cursor }) }),
      ),
  };
}

/** The shared client with this source's own `timeout` applied to every GET it makes. */
function withSourceTimeout(http: HttpClient, timeoutMs: number | undefined): HttpClient {
  if (timeoutMs === undefined) return http;
  return {
    get: (url, options) => http.get(url, { timeoutMs, ...options }),
    post: (url, body, options) => http.post(url, body, options),
    close: () => http.close(),
  };
}

/** Record a failed poll without forgetting the last good validators. */
export async function recordPollFailure(deps: Deps, sourceId: string, err: unknown): Promise<void> {
  const previous = await deps.store.getSourceState(sourceId);
  await deps.store.saveSourceState({
    ...previous,
    sourceId,
    validators: previous?.validators ?? {},
    lastPollAt: deps.clock.now().toISOString(),
    lastError: describeError(err),
  });
}

function withoutError(state: SourceState): SourceState {
  const { lastError: _cleared, ...rest } = state;
  return rest;
}
