// CVRF normalise (issue 10): MSRC CVRF months (copies in test/fixtures/corpus/msrc) through our
// parser + normalizeAdvisory, beside a bare parse of the same XML with the library our reader is
// built on (htmlparser2 in xmlMode, no handlers: decode + tokenise + the parser's own bookkeeping).
// Targets on the 6.8 MB 2025-Jan month: ≤ 2×; peak RSS ≤ 300 MB (child process); and `serve`'s
// event loop never blocked more than 100 ms while it ingests the month.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Parser } from 'htmlparser2';
import type { Benchmark, BenchRow } from './lib/benchmark.js';
import { compareMs, corpusFile, RUNS } from './lib/measure.js';
import { normaliseDocument } from './lib/normalise.js';
import { cpuRow } from './lib/rows.js';
import { measureServeEventLoop } from './lib/serve-event-loop.js';

const MONTHS = [
  { file: 'msrc/cvrf-2025-Jan.xml', target: true },
  { file: 'msrc/cvrf-2023-Jan.xml', target: false },
  { file: 'msrc/cvrf-2017-Mar.xml', target: false },
] as const;

const bareParse = (body: Uint8Array): void => {
  new Parser({}, { xmlMode: true }).end(new TextDecoder().decode(body));
};

const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;

async function timeRow(file: string, withTarget: boolean): Promise<BenchRow> {
  const body = corpusFile(file);
  const advisories = await normaliseDocument('cvrf', body);
  const t = await compareMs(
    () => bareParse(body),
    () => normaliseDocument('cvrf', body),
  );
  return cpuRow(`${file} (${mb(body.length)}) → ${advisories.length} advisories`, 'bare htmlparser2 parse', t, withTarget ? { text: '≤ 2×', limit: 2 } : undefined);
}

/** Peak RSS of a fresh `node --import tsx` process that reads the month once. */
function peakRss(mode: 'ours' | 'baseline', file: string): number {
  const script = fileURLToPath(new URL('./lib/cvrf-peak-rss.ts', import.meta.url));
  const path = fileURLToPath(new URL(`../test/fixtures/corpus/${file}`, import.meta.url));
  return Number(execFileSync(process.execPath, ['--import', 'tsx', script, mode, path], { encoding: 'utf8' }).trim());
}

const cvrf: Benchmark = {
  name: 'cvrf',
  describe: `MSRC CVRF months: parse + normalise vs a bare htmlparser2 parse, median of ${RUNS}; peak RSS; serve's event loop`,
  async run() {
    const rows: BenchRow[] = [];
    for (const m of MONTHS) rows.push(await timeRow(m.file, m.target));

    const main = MONTHS[0].file;
    const oursRss = peakRss('ours', main);
    const baseRss = peakRss('baseline', main);
    rows.push({
      case: `peak RSS reading ${main} once (child process: node + tsx + the month)`,
      baseline: { name: 'bare htmlparser2 parse', value: baseRss / 1e6, unit: 'MB' },
      ours: { value: oursRss / 1e6, unit: 'MB' },
      ratio: oursRss / baseRss,
      target: '≤ 300 MB',
      met: oursRss <= 300e6,
    });

    const loop = await measureServeEventLoop(corpusFile(main), '2025-Jan');
    rows.push({
      case: `serve: longest event-loop stall while ${main} is parsed during a poll`,
      baseline: null,
      ours: { value: loop.parseStallMs, unit: 'ms' },
      ratio: null,
      target: '≤ 100 ms',
      met: loop.parseStallMs <= 100,
      notes: [`the month is read in a worker thread (src/parse/cvrf/off-thread.ts); ${loop.advisories} advisories`],
    });
    rows.push({
      case: 'serve: longest event-loop stall over the whole poll (fetch, parse, store, match)',
      baseline: null,
      ours: { value: loop.pollStallMs, unit: 'ms' },
      ratio: null,
      target: null,
      met: null,
      notes: [
        `poll ${loop.cycleMs.toFixed(0)} ms; slowest /healthz answer ${loop.slowestHealthzMs.toFixed(0)} ms from when due (${loop.healthzAnswered} asked every 20 ms); perf_hooks histogram max ${loop.histogramMaxMs.toFixed(0)} ms, p99 ${loop.p99DelayMs.toFixed(0)} ms`,
      ],
    });
    return rows;
  },
};

export default cvrf;
