// `npm run bench` runs every benchmark below; `npm run bench -- NAME [NAME…]` runs the named ones.
// Each benchmark is its own module in bench/ with a default export implementing `Benchmark`
// (bench/lib/benchmark.ts); it is imported only when selected, so one benchmark's imports never
// slow or break another. Results and how to read them: bench/RESULTS.md.
import type { Benchmark } from './lib/benchmark.js';
import { printRows, printSummary, type Outcome } from './lib/report.js';

/** The registry: one line per benchmark, in the order `npm run bench` runs them. Add yours here. */
const registry: ReadonlyArray<{ readonly name: string; readonly load: () => Promise<{ default: Benchmark }> }> = [
  { name: 'kev', load: () => import('./kev.js') },
  { name: 'cvrf', load: () => import('./cvrf.js') },
  { name: 'osv', load: () => import('./osv.js') },
  { name: 'rss', load: () => import('./rss.js') },
  { name: 'cold-start', load: () => import('./cold-start.js') },
  { name: 'match', load: () => import('./match.js') },
  { name: 'scale-out', load: () => import('./scale-out.js') },
  { name: 'openpgp', load: () => import('./openpgp.js') },
  { name: 'poll', load: () => import('./poll.js') },
  { name: 'email', load: () => import('./email.js') },
  { name: 'e2e', load: () => import('./e2e.js') },
];

async function main(selected: readonly string[]): Promise<number> {
  const unknown = selected.filter((n) => !registry.some((b) => b.name === n));
  if (unknown.length > 0) {
    console.error(`unknown benchmark(s): ${unknown.join(', ')}; known: ${registry.map((b) => b.name).join(', ')}`);
    return 2;
  }
  const chosen = selected.length === 0 ? registry : registry.filter((b) => selected.includes(b.name));
  console.log(`node ${process.version}; ratio = ours / baseline in the same run (>1 = ours slower/larger)`);
  const outcomes: Outcome[] = [];
  for (const entry of chosen) {
    const started = performance.now();
    try {
      const bench = (await entry.load()).default;
      console.log(`\n== ${bench.name}: ${bench.describe}`);
      const rows = await bench.run();
      printRows(rows);
      outcomes.push({ name: entry.name, rows, seconds: (performance.now() - started) / 1000 });
    } catch (err) {
      // One broken benchmark must not hide the others' results.
      const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
      console.error(`\n== ${entry.name}: FAILED\n${message}`);
      outcomes.push({ name: entry.name, rows: [], seconds: (performance.now() - started) / 1000, error: err instanceof Error ? err.message : String(err) });
    }
  }
  printSummary(outcomes);
  return outcomes.some((o) => o.error !== undefined) ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
