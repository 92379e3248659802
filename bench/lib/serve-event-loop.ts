// How long `serve` stops answering while it ingests one large CVRF month: the same app and HTTP
// server `secwatch serve` builds (in this process), an MSRC updates index and month on a local
// HTTP server, one poll cycle, and perf_hooks.monitorEventLoopDelay over it. /healthz is asked
// every 20 ms meanwhile; its slowest answer (from when it was due) is what a client would have waited.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createApp } from '../../src/app.js';
import { resolveConfig } from '../../src/config/load.js';
import { createMetrics } from '../../src/http/metrics.js';
import { buildServer } from '../../src/http/server.js';
import { parsers } from '../../src/parse/index.js';
import { runCycle } from '../../src/pipeline/cycle.js';
import { silentLogger } from '../../src/util/logger.js';
import { startServer } from '../../test/helpers/http-server.js';

export interface EventLoopResult {
  /** Longest stall of the event loop while the month was being parsed (parsers.cvrf in flight). */
  readonly parseStallMs: number;
  /** Longest stall over the whole poll: fetch, parse, store, match. */
  readonly pollStallMs: number;
  /** perf_hooks.monitorEventLoopDelay's max over the poll, for comparison (see stallRecorder). */
  readonly histogramMaxMs: number;
  readonly p99DelayMs: number;
  readonly slowestHealthzMs: number;
  readonly healthzAnswered: number;
  readonly advisories: number;
  readonly cycleMs: number;
}

const TICK_MS = 5;

interface Stall {
  readonly start: number;
  readonly end: number;
}

/**
 * Every time a TICK_MS interval timer fired late, as a [start, end] stall. Kept beside the
 * perf_hooks histogram because on Node 20 that histogram sampled only a handful of times over a
 * blocked second here and reported 12–60 ms for a stall this sampler saw as 800 ms.
 */
function stallRecorder(periodMs: number): { stalls(): Stall[]; stop(): void } {
  const stalls: Stall[] = [];
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    if (now - last > periodMs) stalls.push({ start: last + periodMs, end: now });
    last = now;
  }, periodMs);
  return { stalls: () => stalls, stop: () => clearInterval(timer) };
}

const longest = (stalls: readonly Stall[]): number => stalls.reduce((max, s) => Math.max(max, s.end - s.start), 0);
const overlaps = (s: Stall, w: Stall): boolean => s.start < w.end && w.start < s.end;

/**
 * Runs `fn` with the CVRF parser wrapped to record when each parse starts and ends, so stalls can
 * be told apart: parsing's own, or the store's and matching's after it. Restored afterwards.
 */
async function withParseWindows<T>(windows: Stall[], fn: () => Promise<T>): Promise<T> {
  const original = parsers.cvrf;
  parsers.cvrf = async (doc, options) => {
    const start = performance.now();
    try {
      return await original(doc, options);
    } finally {
      windows.push({ start, end: performance.now() });
    }
  };
  try {
    return await fn();
  } finally {
    parsers.cvrf = original;
  }
}

export async function measureServeEventLoop(month: Uint8Array, monthId: string): Promise<EventLoopResult> {
  const msrc = await startServer((req, res) => {
    if (req.url === '/updates') {
      const value = [{ ID: monthId, CurrentReleaseDate: '2025-01-30T08:00:00Z', InitialReleaseDate: '2025-01-14T08:00:00Z', CvrfUrl: `/cvrf/${monthId}` }];
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ value }));
    } else if (req.url === `/cvrf/${monthId}`) {
      res.writeHead(200, { 'content-type': 'application/xml' }).end(month);
    } else {
      res.writeHead(404).end();
    }
  });
  const dataDir = mkdtempSync(join(tmpdir(), 'secwatch-bench-cvrf-'));
  const config = resolveConfig(
    {
      dataDir,
      store: { url: 'sqlite::memory:' },
      sources: [{ id: 'msrc', kind: 'cvrf', url: `${msrc.url}/updates`, since: '2000-01', maxBytes: '64MB' }],
      network: { allowPrivateHosts: ['127.0.0.1'] },
      http: { host: '127.0.0.1', port: 0 },
    },
    { baseDir: dataDir, env: {} },
  );
  const app = await createApp(config, { log: silentLogger });
  const { server } = buildServer({ ...app, metrics: createMetrics(app.store, app.sources) });
  const address = await server.listen({ host: '127.0.0.1', port: 0 });
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  const parseWindows: Stall[] = [];
  let slowest = 0;
  let answered = 0;
  let probing = true;
  // Latency from when each probe was due, so a stall during the probe's own sleep counts too.
  const probe = async (): Promise<void> => {
    let due = performance.now();
    while (probing) {
      await (await fetch(`${address}/healthz`)).text();
      slowest = Math.max(slowest, performance.now() - due);
      answered++;
      due = performance.now() + 20;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  try {
    await fetch(`${address}/healthz`); // connection set up before the clock starts
    const prober = probe();
    histogram.enable();
    const recorder = stallRecorder(TICK_MS);
    const started = performance.now();
    const summary = await withParseWindows(parseWindows, () => runCycle(app));
    const cycleMs = performance.now() - started;
    recorder.stop();
    histogram.disable();
    const stalls = recorder.stalls();
    probing = false;
    await prober;
    const report = summary.sources[0];
    if (report?.status !== 'ok') throw new Error(`the CVRF poll did not succeed: ${JSON.stringify(report)}`);
    return {
      parseStallMs: longest(stalls.filter((st) => parseWindows.some((w) => overlaps(st, w)))),
      pollStallMs: longest(stalls),
      histogramMaxMs: histogram.max / 1e6,
      p99DelayMs: histogram.percentile(99) / 1e6,
      slowestHealthzMs: slowest,
      healthzAnswered: answered,
      advisories: Object.values(report.advisories).reduce((a, b) => a + b, 0),
      cycleMs,
    };
  } finally {
    probing = false;
    await server.close();
    await app.close();
    await msrc.close();
  }
}
