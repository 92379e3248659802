// The advance source through the real pipeline: the Node.js December 2025 post served from
// 127.0.0.1 as it was edited (announce → postponed → postponed again → final). Each edit is one
// more revision of the same notice and one planning alert; the final post stores the advisories,
// which alert on their own, and closes the notice.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../../src/app.js';
import { resolveConfig } from '../../../src/config/load.js';
import { runCycle, type SourceReport } from '../../../src/pipeline/index.js';
import { fixedClock } from '../../../src/util/clock.js';
import { silentLogger } from '../../../src/util/logger.js';
import { corpus, corpusPath } from '../../helpers/corpus.js';
import { startServer, type TestServer } from '../../helpers/http-server.js';

const VERSIONS = readdirSync(corpusPath('advance/nodejs')).filter((f) => f.startsWith('december-2025-')).sort();
let served = 0;
let server: TestServer;
let app: App;
let dir: string;

beforeAll(async () => {
  server = await startServer((req, res) => {
    if (req.url !== '/blog/vulnerability/december-2025-security-releases.md') return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/markdown; charset=utf-8' }).end(corpus(`advance/nodejs/${VERSIONS[served]!}`));
  });
  dir = mkdtempSync(join(tmpdir(), 'secwatch-advance-'));
  const config = resolveConfig(
    {
      dataDir: dir,
      email: { transport: 'outbox' },
      sources: [{ id: 'nodejs', kind: 'advance', url: `${server.url}/blog/vulnerability/december-2025-security-releases.md` }],
      subscriptions: [{ id: 'plan', channel: 'email', to: ['ops@example.org'], minSeverity: 'important', matchedOnly: false }],
    },
    { baseDir: dir, env: {} },
  );
  app = await createApp(config, { clock: fixedClock('2025-12-20T09:00:00Z'), log: silentLogger, random: () => 0.5 });
});

afterAll(async () => {
  await app.close();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('advance source in a cycle', () => {
  it('one notice, a revision per edit, the final post closing it with rated advisories', async () => {
    const reports: SourceReport[] = [];
    for (served = 0; served < VERSIONS.length; served++) {
      const summary = await runCycle(app);
      reports.push(summary.sources.find((s) => s.sourceId === 'nodejs')!);
    }
    expect(reports.slice(0, 3).map((r) => (r.status === 'ok' ? [r.advisories.new, r.advisories.revised, r.alerts] : r.status))).toEqual([
      [1, 0, 1],
      [0, 1, 1],
      [0, 1, 1],
    ]);
    const final = readFileSync(corpusPath(`advance/nodejs/${VERSIONS[3]!}`), 'utf8');
    const rated = [...final.matchAll(/^## .*\((CVE-\d{4}-\d+)\) - \((\w+)\)\s*$/gm)].map((m) => m[2]!);
    expect(reports[3]).toMatchObject({ status: 'ok', advisories: { new: rated.length, revised: 1 }, alerts: rated.filter((w) => w === 'High').length });

    const revisions = await app.store.listRevisions('nodejs:december-2025-security-releases');
    expect(revisions.map((r) => r.revision)).toEqual([1, 2, 3, 4]);
    expect(revisions.at(-1)!.closedBy).toHaveLength(rated.length);
    const planning = (await app.store.listDeliveries({ subscriptionId: 'plan' })).filter((d) => d.advisoryId === 'nodejs:december-2025-security-releases');
    expect(planning.map((d) => d.revision).sort()).toEqual([1, 2, 3]);
    // The mails say what to expect, per release line, with the date of their revision.
    const mails = readdirSync(join(dir, 'outbox')).map((f) => readFileSync(join(dir, 'outbox', f), 'utf8').replace(/=\r?\n/g, ''));
    const first = readFileSync(corpusPath(`advance/nodejs/${VERSIONS[0]!}`), 'utf8');
    const worst22 = ['critical', 'high', 'medium', 'low'].find((w) => /^The 22\.x release line .*$/m.exec(first)![0].includes(`${w} severity`))!;
    expect(mails.some((m) => m.includes(`PLANNED: expect a ${worst22.toUpperCase()} fix for Node.js 22.x on 2025-12-15`))).toBe(true);
    expect(mails.some((m) => m.includes('PLANNED: expect a HIGH fix for Node.js 22.x on 2026-01-07'))).toBe(true);
  });
});
