// The shape every benchmark in bench/ shares, so `npm run bench` can print one table:
// baseline and ours measured in the same run, on the same input, and their ratio against a target.

/** One measured comparison. `ratio` is ours / baseline in the unit's "worse" direction (>1 = slower). */
export interface BenchRow {
  readonly case: string;
  readonly baseline: { readonly name: string; readonly value: number; readonly unit: string } | null;
  readonly ours: { readonly value: number; readonly unit: string };
  /** null when there is no baseline (e.g. a latency distribution, or the baseline tool is missing). */
  readonly ratio: number | null;
  /** The target as the issue states it, e.g. "≤ 3×"; null when only reported. */
  readonly target: string | null;
  /** true/false when there is a target; null when there is none or it could not be judged. */
  readonly met: boolean | null;
  /** Extra facts worth a line (peak RSS, event-loop max, skipped baseline and why). */
  readonly notes?: readonly string[];
}

export interface Benchmark {
  /** What `npm run bench -- NAME` selects. */
  readonly name: string;
  readonly describe: string;
  run(): Promise<readonly BenchRow[]>;
}
