import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { resolveConfig } from '../../src/config/load.js';
import { recordAlerts } from '../../src/pipeline/deliver-alerts.js';
import { mergeThenRecord } from '../../src/pipeline/merge-alerts.js';
import { deliveryKey } from '../../src/store/store.js';
import { fixedClock } from '../../src/util/clock.js';
import { silentLogger } from '../../src/util/logger.js';
import { makeAdvisory, makeAlert, makeMatch } from '../helpers/alert-factory.js';

// Two sources of one process store the same CVE and plan their alerts at the same moment: the
// check-and-record section makes the second see the first's delivery, so one alert goes out.

let app: App;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'secwatch-merge-alerts-'));
  app = await createApp(resolveConfig({ dataDir: dir, store: { url: 'sqlite::memory:' } }, { baseDir: dir, env: {} }), { clock: fixedClock('2026-07-07T09:00:00Z'), log: silentLogger });
});
afterAll(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('mergeThenRecord', () => {
  it('records one alert when two sources report the same CVE at once, and names the merge', async () => {
    const a = makeAdvisory({ id: 'vendor-a:CVE-2025-53786', source: { kind: 'rss', id: 'vendor-a' } });
    const b = makeAdvisory({ id: 'vendor-b:CVE-2025-53786', source: { kind: 'rss', id: 'vendor-b' } });
    await app.store.upsertAdvisories([a, b], new Date('2026-07-07T09:00:00Z'));
    const alertOf = (x: typeof a) => makeAlert({ id: deliveryKey('ops-mail', x.id, 1), advisory: x, matches: [makeMatch({ advisoryId: x.id })] });
    const [first, second] = await Promise.all([
      mergeThenRecord(app, [alertOf(a)], (kept) => recordAlerts(app, kept)),
      mergeThenRecord(app, [alertOf(b)], (kept) => recordAlerts(app, kept)),
    ]);
    expect([first?.recorded, second?.recorded]).toEqual([1, 0]);
    expect(second?.merged).toEqual([`ops-mail: ${b.id} merged with ${a.id} (already alerted as ${deliveryKey('ops-mail', a.id, 1)})`]);
    expect((await app.store.listDeliveries()).map((d) => d.advisoryId)).toEqual([a.id]);
  });
});
