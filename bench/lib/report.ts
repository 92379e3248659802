// How `npm run bench` prints results: each benchmark's rows as they come, then one summary table
// in Markdown so it can be pasted into bench/RESULTS.md as it is.
import type { BenchRow } from './benchmark.js';

export interface Outcome {
  readonly name: string;
  readonly rows: readonly BenchRow[];
  readonly seconds: number;
  /** Set when the benchmark threw: its rows are missing, the others still print. */
  readonly error?: string;
}

/** Numbers with a sensible precision for their size: 0.0123, 1.23, 12.3, 1,234. */
export function formatNumber(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1000) return Math.round(value).toLocaleString('en-US');
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1) return value.toFixed(2);
  return value.toPrecision(2);
}

export const metMark = (met: boolean | null): string => (met === null ? '—' : met ? '✓' : '✗');

const ratioText = (ratio: number | null): string => (ratio === null ? '—' : `${ratio < 0.1 ? ratio.toPrecision(2) : ratio.toFixed(2)}×`);

/** A skipped measurement carries NaN (see its notes for why). */
const valueText = (v: { readonly value: number; readonly unit: string }): string => (Number.isNaN(v.value) ? 'skipped' : `${formatNumber(v.value)} ${v.unit}`);

export function printRows(rows: readonly BenchRow[]): void {
  for (const row of rows) {
    const baseline = row.baseline ? `${row.baseline.name} ${valueText(row.baseline)}` : 'no baseline';
    console.log(
      `  ${row.case}\n    baseline: ${baseline} | ours: ${valueText(row.ours)} | ratio: ${ratioText(row.ratio)}` +
        ` | target: ${row.target ?? '—'} | met: ${metMark(row.met)}`,
    );
    for (const note of row.notes ?? []) console.log(`    note: ${note}`);
  }
}

const cell = (text: string): string => text.replaceAll('|', '\\|');

export function printSummary(outcomes: readonly Outcome[]): void {
  const lines = [
    '',
    '## Summary',
    '',
    '| benchmark | case | baseline | ours | ratio | target | met |',
    '|---|---|---|---:|---:|---|:-:|',
  ];
  for (const o of outcomes) {
    if (o.error !== undefined) lines.push(`| ${o.name} | FAILED: ${cell(o.error.split('\n')[0]!)} | | | | | |`);
    for (const row of o.rows) {
      const baseline = row.baseline ? `${row.baseline.name}: ${valueText(row.baseline)}` : '—';
      lines.push(
        `| ${o.name} | ${cell(row.case)} | ${cell(baseline)} | ${valueText(row.ours)} | ${ratioText(row.ratio)} | ${cell(row.target ?? '—')} | ${metMark(row.met)} |`,
      );
    }
  }
  lines.push('', `wall time per benchmark: ${outcomes.map((o) => `${o.name} ${o.seconds.toFixed(0)} s`).join(', ')}`);
  console.log(lines.join('\n'));
}
