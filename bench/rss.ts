// RSS normalise (issue 10): seeded RSS 2.0 feeds of 1,000 and 10,000 advisory items
// (bench/lib/rss-feed.ts) through our parser + normalizeAdvisory, beside a bare rss-parser
// `parseString` of the same text (target ≤ 1.5×). And the native floor: Debian's `sfeed` reading
// the feed as a whole process, beside `secwatch parse --format rss` as a whole process (the
// compiled CLI in dist/), ratio reported only. sfeed missing or dist/ not built: that row says so.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import RssParser from 'rss-parser';
import type { Benchmark, BenchRow } from './lib/benchmark.js';
import { compareMs, RUNS } from './lib/measure.js';
import { normaliseDocument } from './lib/normalise.js';
import { runProcess, which } from './lib/process-time.js';
import { cpuRow } from './lib/rows.js';
import { generateRssFeed } from './lib/rss-feed.js';

const SIZES = [1_000, 10_000];
const CLI = fileURLToPath(new URL('../bin/secwatch.js', import.meta.url));
const COMPILED = new URL('../dist/cli/main.js', import.meta.url);
const PROCESS_RUNS = Math.max(3, Math.min(RUNS, 5));

async function inProcessRow(items: number, text: string): Promise<BenchRow> {
  const body = new TextEncoder().encode(text);
  const advisories = await normaliseDocument('rss', body);
  if (advisories.length !== items) throw new Error(`expected ${items} advisories from the generated feed, got ${advisories.length}`);
  const t = await compareMs(
    () => new RssParser().parseString(new TextDecoder().decode(body)),
    () => normaliseDocument('rss', body),
    // The 1k feed takes ~30 ms a run: more runs for a steadier median.
    items <= 1_000 ? RUNS * 3 : RUNS,
  );
  return cpuRow(`${items.toLocaleString('en-US')} items (${(body.length / 1e6).toFixed(1)} MB) → ${advisories.length} advisories`, 'bare rss-parser parseString', t, { text: '≤ 1.5×', limit: 1.5 });
}

async function sfeedRow(items: number, file: string): Promise<BenchRow> {
  const label = `${items.toLocaleString('en-US')} items, whole process: secwatch parse vs sfeed`;
  const sfeed = which('sfeed');
  const skip = (why: string): BenchRow => ({ case: label, baseline: null, ours: { value: Number.NaN, unit: 'ms' }, ratio: null, target: null, met: null, notes: [`skipped: ${why}`] });
  if (sfeed === undefined) return skip('sfeed is not installed (Debian: apt-get install -y sfeed)');
  if (!existsSync(COMPILED)) return skip('dist/ is not built (npm run build)');
  const t = await compareMs(
    () => runProcess({ command: sfeed, args: [], stdinFile: file }),
    () => runProcess({ command: process.execPath, args: [CLI, 'parse', '--format', 'rss', file] }),
    PROCESS_RUNS,
  );
  return {
    case: label,
    baseline: { name: 'sfeed < feed (native floor)', value: t.baseline.median, unit: 'ms' },
    ours: { value: t.ours.median, unit: 'ms' },
    ratio: t.ours.median / t.baseline.median,
    target: null,
    met: null,
    notes: [`median of ${PROCESS_RUNS}; ours is node bin/secwatch.js (compiled dist/) including Node start-up and writing one JSON line per advisory`],
  };
}

const rss: Benchmark = {
  name: 'rss',
  describe: `seeded RSS 2.0 feeds (seed 7): parse + normalise vs bare rss-parser, median of ${RUNS}; sfeed as the native floor`,
  async run() {
    const dir = mkdtempSync(join(tmpdir(), 'secwatch-bench-rss-'));
    try {
      const rows: BenchRow[] = [];
      for (const n of SIZES) {
        const text = generateRssFeed(n);
        const file = join(dir, `feed-${n}.xml`);
        writeFileSync(file, text);
        rows.push(await inProcessRow(n, text));
        rows.push(await sfeedRow(n, file));
      }
      return rows;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

export default rss;
