import type { ParsedAdvisory, SourceKind } from '../model/advisory.js';
import type { RawDocument } from '../model/raw-document.js';
import type { HtmlPageSpec } from './html/spec.js';

/** Formats `secwatch parse --format` accepts today; more join as their parsers land. */
export type DocumentFormat = SourceKind;

/**
 * A parser reads one document and says what it announces. Pure: no I/O, no clock (async only
 * because rss-parser is).
 * Throws ParseError (naming the cause and, if known, where) and nothing else.
 */
export type Parser = (doc: RawDocument, options?: ParseOptions) => Promise<ParsedAdvisory[]>;

/** Per-source hints from the config (e.g. the vendor an RSS feed speaks for). */
export interface ParseOptions {
  readonly vendor?: string;
  /** html sources: the selectors their pages are read with (src/parse/html/spec.ts). */
  readonly html?: HtmlPageSpec;
}
