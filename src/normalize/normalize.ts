import type { Advisory, ParsedAdvisory } from '../model/advisory.js';
import type { Severity } from '../model/severity.js';
import { rateAdvisory } from './severity.js';

/**
 * What a document says → our rated item. Pure. The revision is 1 here; the store assigns the
 * real one when it compares with what it already holds.
 */
export function normalizeAdvisory(parsed: ParsedAdvisory, options: { readonly fallbackSeverity?: Severity | undefined } = {}): Advisory {
  const rating = rateAdvisory(parsed, options.fallbackSeverity);
  // The vendor's word is folded into severity/severitySource; the item does not carry it twice.
  // Copied key by key: `const { vendorSeverity, ...rest } = parsed; return { ...rest, … }` gave the
  // same object but V8 builds `rest` in dictionary mode and spreading it again cost ~5 µs per
  // advisory — most of KEV's normalise time (bench/kev.ts, bench/RESULTS.md).
  const advisory: Record<string, unknown> = {};
  for (const key of Object.keys(parsed) as (keyof ParsedAdvisory)[]) if (key !== 'vendorSeverity') advisory[key] = parsed[key];
  advisory.cves = [...new Set(parsed.cves.map((c) => c.toUpperCase()))].sort();
  advisory.revision = 1;
  advisory.severity = rating.severity;
  advisory.severitySource = rating.severitySource;
  return advisory as unknown as Advisory;
}
