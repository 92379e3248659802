// Advance notices (planned releases): upcoming first by date, then the past ones, newest first. Pure.
import type { Advisory } from '../../model/advisory.js';
import { WEB } from '../paths.js';
import { daysBetween, severityLabel } from './format.js';

export interface NoticeRow {
  readonly id: string;
  readonly href: string;
  readonly title: string;
  readonly source: string;
  readonly date: string;
  readonly when: string;
  readonly severity: string;
  readonly severityClass: string;
  readonly closedBy: string;
}

export function advanceNoticesView(notices: readonly Advisory[], today: string): { upcoming: NoticeRow[]; past: NoticeRow[] } {
  const rows = notices
    .filter((a) => a.kind === 'advance-notice' && a.plannedRelease)
    .map((a) => {
      const planned = a.plannedRelease!;
      const days = daysBetween(today, planned.date);
      return {
        id: a.id,
        href: WEB.advisory(a.id),
        title: a.title,
        source: a.source.id ?? a.source.kind,
        date: planned.date,
        when: days === 0 ? 'today' : days > 0 ? `in ${days} day${days === 1 ? '' : 's'}` : `${-days} day${days === -1 ? '' : 's'} ago`,
        severity: severityLabel(planned.maxSeverity),
        severityClass: `sev-${planned.maxSeverity}`,
        closedBy: (a.closedBy ?? []).join(', '),
      };
    });
  return {
    upcoming: rows.filter((r) => r.date >= today && r.closedBy === '').sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : 0)),
    past: rows.filter((r) => r.date < today || r.closedBy !== '').sort((x, y) => (x.date > y.date ? -1 : x.date < y.date ? 1 : 0)),
  };
}
