import { ParseError, describeError } from '../errors.js';
import type { SignatureInfo } from '../model/advisory.js';
import type { RawDocument } from '../model/raw-document.js';
import { normalizeAdvisory } from '../normalize/normalize.js';
import { parsers } from '../parse/index.js';
import { htmlPageSpec } from '../sources/html/index.js';
import type { Source } from '../sources/source.js';
import type { UpsertOutcome } from '../store/store.js';
import type { Deps } from './deps.js';

/**
 * Stage 2: document → parsed → rated → stored. Returns what the store made of each advisory;
 * only `new` and `revised` go on to matching and alerting.
 */
export async function ingestDocument(deps: Deps, source: Source, doc: RawDocument, signature?: SignatureInfo): Promise<UpsertOutcome[]> {
  const config = source.config;
  const html = htmlPageSpec(config);
  const options = config.kind === 'rss' && config.vendor ? { vendor: config.vendor } : html ? { html } : {};
  const checked = signature !== undefined && signature.status !== 'not-checked';
  // The operator's defaultSeverity is policy, not the vendor's word: it only fills a missing rating.
  const fallbackSeverity = config.kind === 'rss' || config.kind === 'html' || config.kind === 'mbox' ? config.defaultSeverity : undefined;
  let advisories;
  try {
    const read = await parsers[doc.sourceKind](doc, options);
    const maxItems = deps.config.fetch.maxItemsPerDocument;
    if (read.length > maxItems) {
      throw new ParseError(doc.sourceKind, `${doc.url}: announces ${read.length} advisories, more than the limit of ${maxItems} (fetch.maxItemsPerDocument)`);
    }
    const parsed = read.map((p) => (checked ? { ...p, signature } : p));
    advisories = parsed.map((p) => normalizeAdvisory(p, { fallbackSeverity }));
  } catch (err) {
    // Whatever reading one document throws is that document's problem, not the poll's: as a
    // ParseError it is reported by name (verify-ingest.ts) and the other documents still go on.
    throw err instanceof ParseError ? err : new ParseError(doc.sourceKind, `unexpected error: ${describeError(err)}`, { cause: err });
  }
  return deps.store.upsertAdvisories(advisories, deps.clock.now());
}
