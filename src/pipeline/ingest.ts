import type { SignatureInfo } from '../model/advisory.js';
import type { RawDocument } from '../model/raw-document.js';
import { normalizeAdvisory } from '../normalize/normalize.js';
import { parsers } from '../parse/index.js';
import type { Source } from '../sources/source.js';
import type { UpsertOutcome } from '../store/store.js';
import type { Deps } from './deps.js';

/**
 * Stage 2: document → parsed → rated → stored. Returns what the store made of each advisory;
 * only `new` and `revised` go on to matching and alerting.
 */
export async function ingestDocument(deps: Deps, source: Source, doc: RawDocument, signature?: SignatureInfo): Promise<UpsertOutcome[]> {
  const config = source.config;
  const options = config.kind === 'rss' && config.vendor ? { vendor: config.vendor } : {};
  const checked = signature !== undefined && signature.status !== 'not-checked';
  const parsed = (await parsers[doc.sourceKind](doc, options)).map((p) => (checked ? { ...p, signature } : p));
  // The operator's defaultSeverity is policy, not the vendor's word: it only fills a missing rating.
  const fallbackSeverity = config.kind === 'rss' ? config.defaultSeverity : undefined;
  const advisories = parsed.map((p) => normalizeAdvisory(p, { fallbackSeverity }));
  return deps.store.upsertAdvisories(advisories, deps.clock.now());
}
