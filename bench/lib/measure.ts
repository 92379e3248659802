// Timing helpers shared by the benchmarks: median of several runs after a warm-up, baseline and
// ours interleaved so a burst of load from the other jobs on this shared machine hits both alike.
import { readFileSync } from 'node:fs';

export const RUNS = Number(process.env.BENCH_RUNS ?? 7);

export interface Timing {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

export function summarise(samples: readonly number[]): Timing {
  const sorted = [...samples].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)]!, min: sorted[0]!, max: sorted.at(-1)! };
}

export interface Comparison {
  /** Wall time, ms. */
  readonly baseline: Timing;
  readonly ours: Timing;
  /** CPU time of the whole process (every thread: a worker's and the GC's too), ms. */
  readonly baselineCpu: Timing;
  readonly oursCpu: Timing;
}

/**
 * Times `baseline` and `ours` alternately, RUNS times each after one warm-up of each. Alternating
 * matters on a shared machine: load that comes and goes would otherwise fall on whichever side
 * happened to run at the time. CPU time is recorded beside wall time because with more runnable
 * jobs than cores, wall time mostly measures the wait for a core; CPU time measures the work.
 */
export async function compareMs(baseline: () => unknown, ours: () => unknown, runs = RUNS): Promise<Comparison> {
  await baseline();
  await ours();
  const wall: [number[], number[]] = [[], []];
  const cpu: [number[], number[]] = [[], []];
  const sides = [baseline, ours] as const;
  for (let i = 0; i < runs; i++) {
    for (const side of [0, 1] as const) {
      const cpuBefore = process.cpuUsage();
      const started = performance.now();
      await sides[side]();
      wall[side].push(performance.now() - started);
      const used = process.cpuUsage(cpuBefore);
      cpu[side].push((used.user + used.system) / 1000);
    }
  }
  return { baseline: summarise(wall[0]), ours: summarise(wall[1]), baselineCpu: summarise(cpu[0]), oursCpu: summarise(cpu[1]) };
}

const CORPUS = new URL('../../test/fixtures/corpus/', import.meta.url);

/** A document of the test corpus (test/fixtures/corpus/), so benchmarks run without ../shared. */
export const corpusFile = (relative: string): Buffer => readFileSync(new URL(relative, CORPUS));

/** "≤ 3×" style targets: met when ours / baseline is at most `limit`. */
export const atMost = (ratio: number, limit: number): boolean => ratio <= limit;
