import type { ListedDocument } from './rolie.js';

export interface DueOptions {
  /** YYYY-MM-DD: documents whose `updated` is before this day are left out. */
  readonly since?: string | undefined;
  /** Most documents to fetch in one poll. */
  readonly maxDocuments?: number | undefined;
}

/**
 * Which listed documents to fetch this poll, pure: those new or changed since `seen` (url →
 * `updated` when fetched), not updated before `since` (a document whose listing gives no date is
 * kept: nothing says it is old), newest first, at most `maxDocuments`. `deferred` counts the
 * documents left for later polls by the cap — the cursor does not hold them, so they come next time.
 */
export function dueDocuments(listed: readonly ListedDocument[], seen: Readonly<Record<string, string>>, options: DueOptions = {}): { due: ListedDocument[]; deferred: number; tooOld: number } {
  const changed = listed.filter((d) => seen[d.url] !== d.updated);
  const since = options.since === undefined ? undefined : `${options.since}T00:00:00.000Z`;
  const recent = since === undefined ? changed : changed.filter((d) => d.updated === '' || d.updated >= since);
  const newestFirst = [...recent].sort((a, b) => (a.updated === b.updated ? (a.url < b.url ? -1 : 1) : a.updated === '' ? 1 : b.updated === '' ? -1 : a.updated < b.updated ? 1 : -1));
  const cap = options.maxDocuments ?? newestFirst.length;
  return { due: newestFirst.slice(0, cap), deferred: Math.max(0, newestFirst.length - cap), tooOld: changed.length - recent.length };
}
