import type { Advisory, ParsedAdvisory } from '../model/advisory.js';
import type { Severity } from '../model/severity.js';
import { rateAdvisory } from './severity.js';

/**
 * What a document says → our rated item. Pure. The revision is 1 here; the store assigns the
 * real one when it compares with what it already holds.
 */
export function normalizeAdvisory(parsed: ParsedAdvisory, options: { readonly fallbackSeverity?: Severity | undefined } = {}): Advisory {
  // The vendor's word is folded into severity/severitySource; the item does not carry it twice.
  const { vendorSeverity: _vendorWord, ...rest } = parsed;
  const rating = rateAdvisory(parsed, options.fallbackSeverity);
  return {
    ...rest,
    cves: [...new Set(parsed.cves.map((c) => c.toUpperCase()))].sort(),
    revision: 1,
    severity: rating.severity,
    severitySource: rating.severitySource,
  };
}
