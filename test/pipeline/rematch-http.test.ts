import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { resolveConfig } from '../../src/config/load.js';
import { createMetrics } from '../../src/http/metrics.js';
import { buildServer } from '../../src/http/server.js';
import { runCycle } from '../../src/pipeline/index.js';
import { fixedClock } from '../../src/util/clock.js';
import { silentLogger } from '../../src/util/logger.js';
import { corpusPath } from '../helpers/corpus.js';

// PUT/DELETE /inventory/collections/{name} re-match the advisories a cycle stored before the import,
// the way `secwatch inventory import` does, and plan no alerts.

const TOKEN = 'test-admin-token-rematch-41c2';
const auth = { authorization: `Bearer ${TOKEN}` };
let app: App;
let base: string;
let close: () => Promise<void>;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'secwatch-rematch-http-'));
  writeFileSync(join(dir, 'inventory.yaml'), 'items:\n  - { name: git build agents, vendor: Git, product: Git, instances: 12, collection: ci }\n');
  const config = resolveConfig(
    {
      dataDir: dir,
      store: { url: 'sqlite::memory:' },
      sources: [{ id: 'cisa-kev', kind: 'kev', url: pathToFileURL(corpusPath('kev/known_exploited_vulnerabilities.2025-08-25.json')).href }],
      inventory: { files: [join(dir, 'inventory.yaml')] },
    },
    { baseDir: dir, env: { SECWATCH_ADMIN_TOKEN: TOKEN } },
  );
  app = await createApp(config, { clock: fixedClock('2025-08-26T09:00:00Z'), log: silentLogger });
  await runCycle(app);
  const built = buildServer({ ...app, metrics: createMetrics(app.store, app.sources) });
  base = await built.server.listen({ host: '127.0.0.1', port: 0 });
  close = async () => {
    built.server.server.closeAllConnections();
    await built.server.close();
    await app.close();
  };
}, 120_000);
afterAll(async () => close(), 60_000);

describe('inventory import over HTTP re-matches stored advisories', () => {
  const put = (csv: string) => fetch(`${base}/inventory/collections/web`, { method: 'PUT', headers: { ...auth, 'content-type': 'text/csv' }, body: csv });
  const tomcatMatches = async () => (await app.store.listMatches()).filter((m) => m.item.name === 'tomcat servers').map((m) => m.advisoryId).sort();

  it('adds the new item to KEV advisories stored before, reports the counts, removes them on delete, and repeats nothing', async () => {
    const deliveries = (await app.store.listDeliveries()).length;
    expect(await tomcatMatches()).toEqual([]);

    const res = await put('name,vendor,product,instances\ntomcat servers,Apache,Tomcat,3\n');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { added: number; rematch: { added: number; removed: number; replaced: number } };
    const matched = await tomcatMatches();
    expect(matched.length).toBeGreaterThan(0);
    expect(matched.every((id) => id.startsWith('kev:'))).toBe(true);
    expect(body.rematch).toMatchObject({ added: matched.length, removed: 0, replaced: matched.length });
    expect((await app.store.listDeliveries()).length).toBe(deliveries);

    const shown = (await (await fetch(`${base}/advisories/${encodeURIComponent(matched[0]!)}`, { headers: auth })).json());
    expect(JSON.stringify(shown)).toContain('tomcat servers');

    const again = (await (await put('name,vendor,product,instances\ntomcat servers,Apache,Tomcat,3\n')).json()) as Record<string, unknown>;
    expect(again).toMatchObject({ added: 0, changed: 0, removed: 0, unchanged: 1 });
    expect(again).not.toHaveProperty('rematch');
    expect(await tomcatMatches()).toEqual(matched);

    expect((await fetch(`${base}/inventory/collections/web`, { method: 'DELETE', headers: auth })).status).toBe(204);
    expect(await tomcatMatches()).toEqual([]);
  });
});
