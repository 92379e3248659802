// Sources: last and next poll, last error, how the stored documents verified, and the quarantine
// with the reason per document. Pure.
import type { SignatureStatus } from '../../model/advisory.js';
import type { QuarantineEntry, SourceState } from '../../store/store.js';
import { whenText } from './format.js';

export interface SourceInput {
  readonly id: string;
  readonly kind: string;
  readonly enabled: boolean;
  readonly intervalMs: number;
  /** The verify policy (csaf, mbox…), absent for kinds without signatures. */
  readonly verify?: string;
  readonly state?: SourceState;
  /** How the advisories stored from this source verified: status → count. */
  readonly signatures: ReadonlyMap<SignatureStatus, number>;
}

export function sourcesView(sources: readonly SourceInput[], quarantine: readonly QuarantineEntry[], now: Date) {
  const quarantined = new Map<string, number>();
  for (const q of quarantine) quarantined.set(q.sourceId, (quarantined.get(q.sourceId) ?? 0) + 1);
  return {
    sources: sources.map((s) => {
      const last = s.state?.lastPollAt ? Date.parse(s.state.lastPollAt) : undefined;
      // The scheduler polls again one interval after the last poll; without one, at the next start.
      const next = !s.enabled ? 'disabled' : last === undefined ? 'at the next cycle' : whenText(new Date(Math.max(last + s.intervalMs, now.getTime())).toISOString());
      const outcomes = [...s.signatures.entries()].sort(([x], [y]) => (x < y ? -1 : 1)).map(([status, count]) => `${count} ${status}`);
      const q = quarantined.get(s.id) ?? 0;
      return {
        id: s.id,
        kind: s.kind,
        verify: s.verify ?? '',
        interval: intervalText(s.intervalMs),
        lastPoll: whenText(s.state?.lastPollAt) || 'never',
        lastSuccess: whenText(s.state?.lastSuccessAt) || 'never',
        nextPoll: next,
        error: s.state?.lastError ?? '',
        outcomes: [...outcomes, ...(q > 0 ? [`${q} quarantined`] : [])].join(', ') || 'nothing stored yet',
      };
    }),
    quarantine: quarantine.map((q) => ({
      sourceId: q.sourceId,
      url: q.url,
      status: q.status,
      reason: q.reason,
      when: whenText(q.quarantinedAt),
      sha256: q.sha256,
    })),
  };
}

function intervalText(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s % 86400 === 0) return `${s / 86400} d`;
  if (s % 3600 === 0) return `${s / 3600} h`;
  if (s % 60 === 0) return `${s / 60} min`;
  return `${s} s`;
}
