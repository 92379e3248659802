// The normalise stage as ingest runs it (src/pipeline/ingest.ts), without the store: the format's
// parser, then normalizeAdvisory on each result. What the parser benchmarks time as "ours".
import type { Advisory, SourceKind } from '../../src/model/advisory.js';
import { normalizeAdvisory } from '../../src/normalize/index.js';
import { parsers, type ParseOptions } from '../../src/parse/index.js';

export async function normaliseDocument(kind: SourceKind, body: Uint8Array, options: ParseOptions = {}): Promise<Advisory[]> {
  const doc = { sourceId: 'bench', sourceKind: kind, url: `bench:${kind}`, body, fetchedAt: new Date(0) };
  return (await parsers[kind](doc, options)).map((p) => normalizeAdvisory(p, {}));
}
