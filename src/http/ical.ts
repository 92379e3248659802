// iCalendar (RFC 5545) of apply-by deadlines, one all-day event per dated match.
import { ICalCalendar } from 'ical-generator';
import type { Match } from '../model/match.js';
import type { StoredAdvisory } from '../store/store.js';

export interface DeadlineEntry {
  readonly stored: StoredAdvisory;
  readonly matches: readonly Match[];
}

/** Calendar of deadlines, pure: the same entries give the same text (stamps come from the data). */
export function deadlinesCalendar(entries: readonly DeadlineEntry[], name: string): string {
  const cal = new ICalCalendar({ name, prodId: { company: 'secwatch', product: 'deadlines' } });
  for (const { stored, matches } of entries) {
    const a = stored.advisory;
    for (const m of matches) {
      if (!m.applyBy) continue;
      const day = new Date(`${m.applyBy}T00:00:00Z`);
      cal.createEvent({
        id: `${a.id}/${m.item.collection}/${m.item.name}@secwatch`,
        start: day,
        allDay: true,
        stamp: new Date(stored.updatedAt),
        summary: `[${a.severity.toUpperCase()}] Apply fix: ${a.title} — ${m.item.name}`,
        description: [
          `Apply by ${m.applyBy} (${m.applyByRule})`,
          `Item: ${m.item.name} [${m.item.collection}]${m.item.location ? ` at ${m.item.location}` : ''}, ${m.item.instances} instance(s)`,
          `Why it matched: ${m.reason} (${m.confidence} confidence)`,
          a.cves.length ? `CVEs: ${a.cves.join(', ')}` : '',
          a.remediation.action ? `Action: ${a.remediation.action}` : '',
        ]
          .filter(Boolean)
          .join('\n'),
        ...(a.url ? { url: a.url } : {}),
      });
    }
  }
  return cal.toString();
}
