// MSRC CVRF API v3.0: the /cvrf/v3.0/updates index, then /cvrf/v3.0/cvrf/{id} per month
// (https://api.msrc.microsoft.com/cvrf/v3.0/swagger/v3/swagger.json).
import type { SourceConfig } from '../../config/schema.js';
import { describeError } from '../../errors.js';
import type { RawDocument } from '../../model/raw-document.js';
import { documentCap, type Source, type SourceDefaults } from '../source.js';
import { monthsBefore, readUpdatesIndex, type UpdateEntry } from './updates-index.js';

/** What the previous poll ingested: month ID → the CurrentReleaseDate it had then. */
export interface CvrfCursor {
  readonly months: Readonly<Record<string, string>>;
}

/** Without `since`, a first poll starts this many months back (the current month included). */
const DEFAULT_MONTHS_BACK = 2;

/**
 * Polls the updates index (conditional GET) and downloads only months that are new or whose
 * CurrentReleaseDate moved since the last ingested poll, oldest release first so the newest
 * word on a CVE listed in two months is stored last. A month that fails to download is logged
 * and left out of the cursor, and the index validators are held back so the next poll retries it.
 * At most `maxDocuments` months are downloaded per poll; the later ones wait the same way.
 */
export function createCvrfSource(config: SourceConfig, defaults: SourceDefaults): Source {
  const maxBytes = config.maxBytes ?? defaults.maxBytes;
  const maxDocuments = documentCap(config, defaults);
  return {
    id: config.id,
    kind: config.kind,
    config,
    async fetch(ctx, state) {
      const signal = ctx.signal ? { signal: ctx.signal } : {};
      const previous = readCursor(state?.cursor);
      const index = await ctx.http.get(config.url, {
        accept: 'application/json',
        maxBytes,
        ...(state?.validators ? { validators: state.validators } : {}),
        ...signal,
      });
      if (index.status === 'not-modified') return { status: 'not-modified', validators: index.validators, cursor: previous };
      const since = (config.kind === 'cvrf' ? config.since : undefined) ?? monthsBefore(ctx.clock.now(), DEFAULT_MONTHS_BACK);
      const due = readUpdatesIndex(index.body, index.url)
        .filter((e) => e.month >= since && previous.months[e.id] !== e.currentReleaseDate)
        .sort((a, b) => a.currentReleaseDate.localeCompare(b.currentReleaseDate) || a.id.localeCompare(b.id));
      const documents: RawDocument[] = [];
      const months: Record<string, string> = { ...previous.months };
      const errors: unknown[] = [];
      let deferred = 0;
      for (const entry of due) {
        if (maxDocuments !== undefined && documents.length >= maxDocuments) {
          deferred++;
          continue;
        }
        const doc = await fetchMonth(entry).catch((err: unknown) => {
          errors.push(err);
          ctx.log.warn({ source: config.id, document: entry.id, url: entry.cvrfUrl, err: describeError(err) }, 'CVRF month not fetched; retried next poll');
          return undefined;
        });
        if (doc === undefined) continue;
        documents.push(doc);
        months[entry.id] = entry.currentReleaseDate;
      }
      // Every due month failed: the poll failed (the error names the month's URL).
      if (documents.length === 0 && errors.length > 0) throw errors[0];
      if (deferred > 0) ctx.log.info({ source: config.id, fetched: documents.length, deferred }, 'CVRF months left for the next polls (maxDocuments)');
      const validators = errors.length > 0 || deferred > 0 ? (state?.validators ?? {}) : index.validators;
      const cursor: CvrfCursor = { months };
      if (documents.length === 0) return { status: 'not-modified', validators, cursor };
      return { status: 'ok', documents, validators, cursor };

      async function fetchMonth(entry: UpdateEntry): Promise<RawDocument> {
        const res = await ctx.http.get(entry.cvrfUrl, { accept: 'application/xml', maxBytes, ...signal });
        if (res.status === 'not-modified') throw new Error(`${entry.cvrfUrl}: unexpected 304 to an unconditional GET`);
        return {
          sourceId: config.id,
          sourceKind: config.kind,
          url: res.url,
          body: res.body,
          fetchedAt: ctx.clock.now(),
          ...(res.contentType ? { contentType: res.contentType } : {}),
        };
      }
    },
  };
}

/** The stored cursor, or an empty one when absent or not of this shape (a source changed kind). */
function readCursor(value: unknown): CvrfCursor {
  if (typeof value !== 'object' || value === null) return { months: {} };
  const months = (value as { months?: unknown }).months;
  if (typeof months !== 'object' || months === null) return { months: {} };
  return { months: Object.fromEntries(Object.entries(months).filter((e): e is [string, string] => typeof e[1] === 'string')) };
}
