import type { CvssScore, Exploitation } from '../model/advisory.js';
import { maxSeverity, type Severity, type SeveritySource } from '../model/severity.js';

// DESIGN.md "Severity mapping": the vendor's own word wins; otherwise CVSS; a KEV listing
// raises to at least important.

const VENDOR_WORDS: Record<string, Severity> = {
  critical: 'critical',
  important: 'important',
  high: 'important',
  moderate: 'moderate',
  medium: 'moderate',
  low: 'low',
  none: 'none',
  informational: 'none',
  unimportant: 'low', // Debian urgency
  negligible: 'low',
};

/** The vendor's word (MSRC, Red Hat, OpenSSL, Debian urgency, GHSA…) on our scale, if we know it. */
export function severityFromVendorWord(word: string | undefined): Severity | undefined {
  if (!word) return undefined;
  return VENDOR_WORDS[word.trim().toLowerCase()];
}

/** CVSS base score bands: ≥9 critical, ≥7 important, ≥4 moderate, >0 low. */
export function severityFromCvssScore(score: number): Severity {
  if (score >= 9) return 'critical';
  if (score >= 7) return 'important';
  if (score >= 4) return 'moderate';
  if (score > 0) return 'low';
  return 'none';
}

/** The score that counts: the newest CVSS version given, its highest score. */
export function decisiveCvss(cvss: readonly CvssScore[]): CvssScore | undefined {
  return [...cvss].sort((a, b) => Number(b.version) - Number(a.version) || b.score - a.score)[0];
}

export interface Rating {
  readonly severity: Severity;
  readonly severitySource: SeveritySource;
}

/** Rate an advisory from what its document says; `fallback` is the operator's rating for a source whose documents carry none. */
export function rateAdvisory(input: {
  readonly vendorSeverity?: string | undefined;
  readonly cvss: readonly CvssScore[];
  readonly exploited: Exploitation;
}, fallback?: Severity): Rating {
  const vendor = severityFromVendorWord(input.vendorSeverity);
  const cvss = decisiveCvss(input.cvss);
  let rating: Rating = vendor
    ? { severity: vendor, severitySource: 'vendor' }
    : cvss
      ? { severity: severityFromCvssScore(cvss.score), severitySource: 'cvss' }
      : { severity: fallback ?? 'none', severitySource: 'policy' };
  if (input.exploited.kev) {
    const raised = maxSeverity(rating.severity, 'important');
    if (raised !== rating.severity) rating = { severity: raised, severitySource: 'kev' };
  }
  return rating;
}
