// Poll cycle: 200 KEV sources on one local HTTP server, every one answering 304 on the second
// cycle (ETag / Last-Modified). Ours: runCycle — the inline runner's whole cycle (store read of
// each source's validators, conditional GET through our HTTP client, state saved, due deliveries
// looked up) at the configured runner.concurrency, SQLite in memory. Baseline: a plain undici
// script making the same conditional GETs at the same concurrency. Target: ≥ 80 % of its rate.
// The server runs in a child process, so this process's CPU time is the client side only.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, fetch, request } from 'undici';
import { createApp } from '../src/app.js';
import { resolveConfig } from '../src/config/load.js';
import { runCycle } from '../src/pipeline/cycle.js';
import { mapLimit } from '../src/util/concurrency.js';
import { silentLogger } from '../src/util/logger.js';
import type { Benchmark, BenchRow } from './lib/benchmark.js';
import { startKevServerProcess } from './lib/kev-server-child.js';
import { RUNS } from './lib/measure.js';
import { compareWallAndCpu, type WallAndCpu } from './lib/wall-and-cpu.js';

const SOURCES = 200;
/** A cycle is ~50 ms: cheap enough to take more samples than the default, which the noise needs. */
const CYCLES = Math.max(RUNS, 21);

interface Remembered {
  readonly url: string;
  readonly etag: string;
  readonly lastModified: string;
}

/** The plain script: conditional GETs, `limit` at a time, each answer read to the end. */
async function plainCycle(targets: readonly Remembered[], limit: number, get: (t: Remembered) => Promise<number>): Promise<void> {
  const statuses = await mapLimit(targets, limit, get);
  const other = statuses.find((s) => s !== 304);
  if (other !== undefined) throw new Error(`plain undici: expected 304 from every source, got ${other}`);
}

const poll: Benchmark = {
  name: 'poll',
  describe: `${SOURCES} sources on 127.0.0.1 all answering 304: our poll cycle vs plain undici at the same concurrency, median of ${CYCLES} cycles each`,
  async run() {
    const server = await startKevServerProcess(SOURCES);
    const dataDir = mkdtempSync(join(tmpdir(), 'secwatch-bench-poll-'));
    const config = resolveConfig(
      {
        dataDir,
        store: { url: 'sqlite::memory:' },
        sources: server.paths.map((p, i) => ({ id: `kev-${i}`, kind: 'kev', url: `${server.url}${p}` })),
      },
      { baseDir: dataDir, env: {} },
    );
    const concurrency = config.runner.concurrency;
    const app = await createApp(config, { log: silentLogger });
    const agent = new Agent();
    try {
      // First cycle: every source fetched and ingested, validators saved. Not timed.
      const first = await runCycle(app);
      const failed = first.sources.filter((r) => r.status === 'error');
      if (failed.length > 0) throw new Error(`first cycle: ${failed.length} sources failed, e.g. ${JSON.stringify(failed[0])}`);

      const targets: Remembered[] = [];
      for (const source of app.sources) {
        const state = await app.store.getSourceState(source.id);
        targets.push({ url: source.config.url, etag: state?.validators.etag ?? '', lastModified: state?.validators.lastModified ?? '' });
      }
      const headers = (t: Remembered): Record<string, string> => ({ 'if-none-match': t.etag, 'if-modified-since': t.lastModified });

      const ours = async (): Promise<void> => {
        const summary = await runCycle(app);
        const changed = summary.sources.filter((r) => r.status !== 'not-modified');
        if (changed.length > 0) throw new Error(`ours: expected every source not modified, got ${JSON.stringify(changed[0])}`);
      };
      const viaRequest = (t: Remembered): Promise<number> =>
        request(t.url, { dispatcher: agent, headers: headers(t) }).then(async (res) => {
          await res.body.dump();
          return res.statusCode;
        });
      const viaFetch = (t: Remembered): Promise<number> =>
        fetch(t.url, { dispatcher: agent, headers: headers(t) }).then(async (res) => {
          await res.body?.cancel();
          return res.status;
        });

      const t = await compareWallAndCpu(() => plainCycle(targets, concurrency, viaRequest), ours, CYCLES);
      const f = await compareWallAndCpu(() => plainCycle(targets, concurrency, viaFetch), ours, CYCLES);
      const rate = (ms: number): number => (SOURCES * 1000) / ms;
      const row = (name: string, timing: { baseline: WallAndCpu; ours: WallAndCpu }, extra: string[]): BenchRow => {
        // A rate target: ours / baseline in the "worse" direction is its rate / ours = our time / its time.
        const ratio = timing.ours.wall.median / timing.baseline.wall.median;
        const { baseline: b, ours: o } = timing;
        return {
          case: `${SOURCES} sources, all 304, concurrency ${concurrency}: vs ${name}`,
          baseline: { name, value: rate(b.wall.median), unit: 'polls/s' },
          ours: { value: rate(o.wall.median), unit: 'polls/s' },
          ratio,
          target: '≥ 80 % of its rate (ratio ≤ 1.25×)',
          met: ratio <= 1.25,
          notes: [
            `wall per cycle: ours ${o.wall.median.toFixed(0)} ms (min ${o.wall.min.toFixed(0)}), baseline ${b.wall.median.toFixed(0)} ms (min ${b.wall.min.toFixed(0)})`,
            `client CPU per cycle: ours ${o.cpu.median.toFixed(0)} ms, baseline ${b.cpu.median.toFixed(0)} ms (ratio ${(o.cpu.median / b.cpu.median).toFixed(2)}×)`,
            ...extra,
          ],
        };
      };
      return [row('undici request()', t, []), row('undici fetch()', f, ['our HTTP client was built on undici fetch() until the move to request() (bench/RESULTS.md)'])];
    } finally {
      await agent.close();
      await app.close();
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
};

export default poll;
