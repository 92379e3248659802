/** Our rating scale, highest first. The words follow MSRC's classic ratings (DESIGN.md). */
export const SEVERITIES = ['critical', 'important', 'moderate', 'low', 'none'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Where a severity came from, so a reader knows whether it is the vendor's word or ours. */
export type SeveritySource = 'vendor' | 'cvss' | 'kev' | 'policy';

/** Larger is worse: critical 4 … none 0. */
export function severityRank(s: Severity): number {
  return SEVERITIES.length - 1 - SEVERITIES.indexOf(s);
}

export function isAtLeast(s: Severity, floor: Severity): boolean {
  return severityRank(s) >= severityRank(floor);
}

export function maxSeverity(a: Severity, b: Severity): Severity {
  return severityRank(a) >= severityRank(b) ? a : b;
}

export function isSeverity(value: unknown): value is Severity {
  return typeof value === 'string' && (SEVERITIES as readonly string[]).includes(value);
}
