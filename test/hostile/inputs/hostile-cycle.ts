// Shared by the hostile-input tests: one real cycle (poll → verify → parse → store, SQLite in
// memory) over a hostile source next to a good one, so each case shows both that the hostile
// source fails by name and that the others in the same cycle still produce their items.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect } from 'vitest';
import { createApp, type App } from '../../../src/app.js';
import { resolveConfig } from '../../../src/config/load.js';
import { runCycle, type CycleSummary, type SourceReport } from '../../../src/pipeline/index.js';
import { fixedClock } from '../../../src/util/clock.js';
import { silentLogger } from '../../../src/util/logger.js';
import { corpusPath } from '../../helpers/corpus.js';

/** The good neighbour: the real Debian feed excerpt, 3 advisories, from file:. */
export const CONTROL = { id: 'control', kind: 'rss', url: pathToFileURL(corpusPath('vendor-rss/debian/dsa-long.3-item-excerpt.rdf')).href, vendor: 'Debian' } as const;
const CONTROL_ITEMS = 3;

export interface HostileRun {
  readonly app: App;
  readonly summary: CycleSummary;
  report(id: string): SourceReport;
  /** Every stored advisory as JSON text, to look for what must never have been read. */
  storedText(): Promise<string>;
}

/**
 * One cycle over `sources` plus CONTROL, with a fresh in-memory store. `raw` merges into the
 * config (e.g. `{ fetch: { maxBytes: '64kB' } }`). The caller closes `app`.
 */
export async function hostileCycle(sources: readonly Record<string, unknown>[], raw: Record<string, unknown> = {}): Promise<HostileRun> {
  const dir = mkdtempSync(join(tmpdir(), 'secwatch-hostile-'));
  const config = resolveConfig({ dataDir: dir, store: { url: 'sqlite::memory:' }, ...raw, sources: [...sources, CONTROL] }, { baseDir: dir, env: {} });
  const app = await createApp(config, { clock: fixedClock('2026-07-07T09:00:00Z'), log: silentLogger, random: () => 0.5 });
  const summary = await runCycle(app);
  const control = summary.sources.find((r) => r.sourceId === CONTROL.id);
  // The neighbour always comes through, whatever the hostile source did.
  expect(control).toMatchObject({ status: 'ok', advisories: { new: CONTROL_ITEMS } });
  return {
    app,
    summary,
    report(id) {
      const r = summary.sources.find((s) => s.sourceId === id);
      if (!r) throw new Error(`no report for ${id}`);
      return r;
    },
    storedText: async () => JSON.stringify(await app.store.listAdvisories()),
  };
}

/** The source failed as a whole with `code`, and the message names the source and matches `cause`. */
export function expectRefused(report: SourceReport, code: string, cause: RegExp): void {
  expect(report).toMatchObject({ status: 'error', code });
  if (report.status !== 'error') return;
  expect(report.error.startsWith(`${report.sourceId}: `)).toBe(true);
  expect(report.error).toMatch(cause);
}
