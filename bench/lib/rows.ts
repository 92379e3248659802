// The row every in-process comparison prints: CPU time as the measure (see compareMs), wall time
// in a note, and the target judged on the CPU-time ratio.
import type { BenchRow } from './benchmark.js';
import type { Comparison } from './measure.js';

export function cpuRow(label: string, baselineName: string, t: Comparison, target?: { readonly text: string; readonly limit: number }): BenchRow {
  const ratio = t.oursCpu.median / t.baselineCpu.median;
  const wallRatio = t.ours.median / t.baseline.median;
  return {
    case: label,
    baseline: { name: baselineName, value: t.baselineCpu.median, unit: 'ms CPU' },
    ours: { value: t.oursCpu.median, unit: 'ms CPU' },
    ratio,
    target: target?.text ?? null,
    met: target === undefined ? null : ratio <= target.limit,
    notes: [
      `wall median ours ${t.ours.median.toFixed(1)} ms vs baseline ${t.baseline.median.toFixed(1)} ms (${wallRatio.toFixed(2)}×); ` +
        `ours CPU min/max ${t.oursCpu.min.toFixed(1)}/${t.oursCpu.max.toFixed(1)} ms`,
    ],
  };
}
