// The word index both dialects keep beside the advisories (migration 11, table advisory_words) and
// the published-date bounds of an advisory query. Pure: the same words are made for storing and
// for searching, in TypeScript, so SQLite and PostgreSQL find exactly the same advisories whatever
// their tokenisers, locales or installed extensions.
import type { Advisory } from '../model/advisory.js';

/**
 * A word: letters and digits, possibly joined by - . _ : / + inside ("CVE-2024-1234", "RHSA-2024:1234",
 * "openssl-3.0.2"). Leading and trailing punctuation is not part of it.
 */
const WORD = /[\p{L}\p{N}]+(?:[-._:/+][\p{L}\p{N}]+)*/gu;
const JOINER = /[-._:/+]/u;
/** Longer "words" are hashes or junk; skipping them keeps a hostile title from bloating the index. */
const MAX_WORD = 100;

/** The words of a text, as compared: NFKC, lower case, in order, with repeats. */
export function wordsOf(text: string): string[] {
  return (text.normalize('NFKC').toLowerCase().match(WORD) ?? []).filter((w) => w.length <= MAX_WORD);
}

/**
 * What an advisory is found by: the words of its id, title, CVE ids, aliases and products (vendor
 * and product name). A joined word is stored whole and in parts, so "CVE-2024-1234" is found by
 * itself and "openssl-3.0.2" also by "openssl". Distinct, in first-seen order.
 */
export function searchWordsOf(a: Advisory): string[] {
  const texts = [a.id, a.title, ...a.cves, ...a.aliases, ...a.products.map((p) => `${p.vendor ?? ''} ${p.product}`)];
  const found = new Set<string>();
  for (const word of texts.flatMap(wordsOf)) {
    found.add(word);
    if (JOINER.test(word)) for (const part of word.split(JOINER)) found.add(part);
  }
  return [...found];
}

/**
 * The words a search text asks for, each of which must be a stored word of the advisory (whole
 * words, any case). Distinct. Empty when the text has no letters or digits: no text filter.
 */
export function queryWordsOf(text: string): string[] {
  return [...new Set(wordsOf(text))];
}

/** Half-open bounds on the `published` column: from <= published < before (ISO text order). */
export interface PublishedBounds {
  readonly from?: string;
  readonly before?: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The column bounds of `publishedFrom` / `publishedTo`, both inclusive. A date (YYYY-MM-DD) means
 * the whole day in UTC, and is compared as the bare date so a stored date-only value is within it
 * too; an instant is compared as UTC ISO text, the form every parser stores. Throws RangeError on
 * text that is neither (callers validate first; the store turns it into a StoreError).
 */
export function publishedBounds(publishedFrom?: string, publishedTo?: string): PublishedBounds {
  return {
    ...(publishedFrom === undefined ? {} : { from: DAY.test(publishedFrom) ? checkedDay(publishedFrom) : instant(publishedFrom, 0) }),
    ...(publishedTo === undefined ? {} : { before: DAY.test(publishedTo) ? nextDay(publishedTo) : instant(publishedTo, 1) }),
  };
}

/** A YYYY-MM-DD that names a real day (not 2024-02-30). */
export function isCalendarDay(text: string): boolean {
  if (!DAY.test(text)) return false;
  const t = new Date(`${text}T00:00:00.000Z`);
  return !Number.isNaN(t.getTime()) && t.toISOString().slice(0, 10) === text;
}

function checkedDay(day: string): string {
  if (!isCalendarDay(day)) throw new RangeError(`"${day}" is not a calendar date`);
  return day;
}

function nextDay(day: string): string {
  const t = new Date(`${checkedDay(day)}T00:00:00.000Z`);
  return new Date(t.getTime() + 86_400_000).toISOString().slice(0, 10);
}

/** The instant as UTC ISO text, moved by `plusMs` (1 turns an inclusive upper bound into an exclusive one). */
function instant(text: string, plusMs: number): string {
  const t = new Date(text);
  if (Number.isNaN(t.getTime())) throw new RangeError(`"${text}" is not an ISO 8601 date or instant`);
  return new Date(t.getTime() + plusMs).toISOString();
}
