// Wall time and this process's CPU time of baseline and ours, interleaved run by run. On a shared
// machine (2 vCPUs, other jobs running) wall time swings with whatever else is scheduled; the CPU
// time this process spent is far steadier and says what our code itself costs. Rates use wall time.
import { summarise, type Timing } from './measure.js';

export interface WallAndCpu {
  readonly wall: Timing;
  /** User + system CPU of this process (all its threads), ms. */
  readonly cpu: Timing;
}

async function once(fn: () => unknown): Promise<{ wall: number; cpu: number }> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await fn();
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { wall, cpu: (cpu.user + cpu.system) / 1000 };
}

/** One warm-up each, then `runs` alternating samples of each. */
export async function compareWallAndCpu(baseline: () => unknown, ours: () => unknown, runs: number): Promise<{ baseline: WallAndCpu; ours: WallAndCpu }> {
  await baseline();
  await ours();
  const b: { wall: number; cpu: number }[] = [];
  const o: { wall: number; cpu: number }[] = [];
  for (let i = 0; i < runs; i++) {
    b.push(await once(baseline));
    o.push(await once(ours));
  }
  const sum = (xs: { wall: number; cpu: number }[]): WallAndCpu => ({ wall: summarise(xs.map((x) => x.wall)), cpu: summarise(xs.map((x) => x.cpu)) });
  return { baseline: sum(b), ours: sum(o) };
}
