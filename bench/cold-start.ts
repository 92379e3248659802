// Cold start (issue 10): `secwatch --help` and `secwatch parse` of a small file as whole processes
// (the compiled CLI, bin/secwatch.js → dist/), beside `node -e 0` — what any Node CLI pays to
// start. Ratio reported only. Needs `npm run build` first (dist/ is what users run).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Benchmark, BenchRow } from './lib/benchmark.js';
import { compareMs, RUNS } from './lib/measure.js';
import { runProcess, type ProcessRun } from './lib/process-time.js';

const CLI = fileURLToPath(new URL('../bin/secwatch.js', import.meta.url));
const SMALL = fileURLToPath(new URL('../test/fixtures/corpus/vendor-rss/debian/dsa-long.3-item-excerpt.rdf', import.meta.url));
const NODE: ProcessRun = { command: process.execPath, args: ['-e', '0'] };

const CASES: ReadonlyArray<{ readonly label: string; readonly run: ProcessRun }> = [
  { label: 'secwatch --help', run: { command: process.execPath, args: [CLI, '--help'] } },
  { label: 'secwatch parse (3-item Debian RDF feed, 4 kB)', run: { command: process.execPath, args: [CLI, 'parse', SMALL] } },
];

const coldStart: Benchmark = {
  name: 'cold-start',
  describe: `the compiled CLI as whole processes vs node -e 0, median of ${RUNS}`,
  async run() {
    if (!existsSync(new URL('../dist/cli/main.js', import.meta.url))) {
      throw new Error('cold-start times the compiled CLI: run `npm run build` first');
    }
    const rows: BenchRow[] = [];
    for (const c of CASES) {
      const t = await compareMs(
        () => runProcess(NODE),
        () => runProcess(c.run),
      );
      rows.push({
        case: c.label,
        baseline: { name: 'node -e 0', value: t.baseline.median, unit: 'ms' },
        ours: { value: t.ours.median, unit: 'ms' },
        ratio: t.ours.median / t.baseline.median,
        target: null,
        met: null,
        notes: [`ours min/max ${t.ours.min.toFixed(0)}/${t.ours.max.toFixed(0)} ms; node -e 0 min/max ${t.baseline.min.toFixed(0)}/${t.baseline.max.toFixed(0)} ms`],
      });
    }
    return rows;
  },
};

export default coldStart;
