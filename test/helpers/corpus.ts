import { readFileSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SourceKind } from '../../src/model/advisory.js';
import type { RawDocument } from '../../src/model/raw-document.js';

/** test/fixtures/corpus: the copied real-world documents (never ../shared, so a fresh clone passes). */
const CORPUS_ROOT = fileURLToPath(new URL('../fixtures/corpus/', import.meta.url));

/** The fetch time every corpus document claims, so parser output does not depend on when tests run. */
export const CORPUS_FETCHED_AT = new Date('2025-08-26T00:00:00.000Z');

/** Absolute path of a corpus file, e.g. corpusPath('kev/known_exploited_vulnerabilities.2025-08-25.json'). */
export function corpusPath(rel: string): string {
  const path = resolve(CORPUS_ROOT, rel);
  const inside = relative(CORPUS_ROOT, path);
  if (inside === '' || inside.startsWith('..') || inside.startsWith(sep)) {
    throw new Error(`corpus path escapes test/fixtures/corpus: ${rel}`);
  }
  return path;
}

/** The exact bytes of a corpus file; see test/fixtures/corpus/PROVENANCE.md for where each came from. */
export function corpus(rel: string): Buffer {
  return readFileSync(corpusPath(rel));
}

/** A corpus file as a RawDocument, with a stable made-up URL and the fixed fetch time above. */
export function corpusDocument(
  rel: string,
  meta: { sourceId: string; sourceKind: SourceKind; contentType?: string },
): RawDocument {
  return {
    sourceId: meta.sourceId,
    sourceKind: meta.sourceKind,
    url: `https://corpus.secwatch.invalid/${rel}`,
    body: corpus(rel),
    ...(meta.contentType === undefined ? {} : { contentType: meta.contentType }),
    fetchedAt: CORPUS_FETCHED_AT,
  };
}
