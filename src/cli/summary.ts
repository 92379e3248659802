import type { CycleSummary, SourceReport } from '../pipeline/cycle.js';

/** The human summary `secwatch run --once` prints: one line per source, then totals. */
export function formatSummary(summary: CycleSummary, extra: { feedFile?: string; feedItems?: number; outboxDir?: string } = {}): string {
  const lines: string[] = [];
  const errors = summary.sources.filter((s) => s.status === 'error').length;
  lines.push(`secwatch: ${summary.sources.length} source(s) polled${errors ? `, ${errors} with errors` : ''}`);
  const width = Math.max(8, ...summary.sources.map((s) => s.sourceId.length));
  for (const r of summary.sources) lines.push(`  ${r.sourceId.padEnd(width)}  ${describe(r)}`);
  const ok = summary.sources.filter((s): s is Extract<SourceReport, { status: 'ok' }> => s.status === 'ok');
  const total = (k: 'new' | 'revised' | 'updated' | 'unchanged'): number => ok.reduce((n, r) => n + r.advisories[k], 0);
  lines.push(`items: ${total('new')} new, ${total('revised')} revised, ${total('updated')} updated quietly, ${total('unchanged')} unchanged`);
  lines.push(`matches: ${ok.reduce((n, r) => n + r.matches, 0)} (inventory items hit by new or revised items)`);
  const d = summary.deliveries;
  lines.push(`deliveries: ${d.planned} planned, ${d.sent} sent, ${d.retry} to retry, ${d.failed} failed`);
  if (extra.feedFile) lines.push(`feed: ${extra.feedFile}${extra.feedItems === undefined ? '' : ` (${extra.feedItems} items)`}`);
  if (extra.outboxDir) lines.push(`outbox: ${extra.outboxDir}`);
  return lines.join('\n');
}

function describe(r: SourceReport): string {
  switch (r.status) {
    case 'not-modified':
      return 'not modified since last poll';
    case 'error':
      return `ERROR ${r.code}: ${r.error}`;
    case 'ok': {
      const a = r.advisories;
      return `ok: ${a.new + a.revised + a.updated + a.unchanged} items (${a.new} new, ${a.revised} revised, ${a.updated} updated, ${a.unchanged} unchanged), ${r.matches} matches, ${r.alerts} alerts${r.merged?.length ? ` (${r.merged.length} merged with another source's)` : ''}`;
    }
  }
}
