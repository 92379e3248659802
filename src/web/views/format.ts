// Small wording helpers shared by the view models: dates in UTC, plainly said.
import { SEVERITIES, type Severity } from '../../model/severity.js';

/** YYYY-MM-DD of an instant, in UTC (the apply-by dates are calendar days without a zone). */
export function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (both YYYY-MM-DD); negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** "2025-08-26 09:00 UTC", or "" when absent or not a date. */
export function whenText(iso: string | undefined | null): string {
  if (!iso) return '';
  const t = Date.parse(iso);
  return Number.isNaN(t) ? '' : `${new Date(t).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** "critical" → "Critical". */
export function severityLabel(s: Severity): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Options for a severity <select>, with the current one marked. */
export function severityOptions(selected: Severity | undefined): { value: Severity; label: string; selected: boolean }[] {
  return SEVERITIES.map((s) => ({ value: s, label: severityLabel(s), selected: s === selected }));
}
