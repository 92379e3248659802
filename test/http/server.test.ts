import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { resolveConfig } from '../../src/config/load.js';
import { createMetrics } from '../../src/http/metrics.js';
import { buildServer, type RouteInfo } from '../../src/http/server.js';
import { runCycle } from '../../src/pipeline/index.js';
import { fixedClock } from '../../src/util/clock.js';
import { silentLogger } from '../../src/util/logger.js';
import { corpusPath } from '../helpers/corpus.js';

// The HTTP service, started for real on 127.0.0.1 and driven over HTTP after one cycle on the
// real KEV catalog.

const TOKEN = 'test-admin-token-7f3a9c';
let app: App;
let base: string;
let routes: readonly RouteInfo[];
let close: () => Promise<void>;

async function get(path: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${base}${path}`, { headers });
}
const auth = { authorization: `Bearer ${TOKEN}` };

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'secwatch-http-'));
  writeFileSync(
    join(dir, 'inventory.yaml'),
    'items:\n  - { name: git build agents, vendor: Git, product: Git, instances: 12, collection: ci, location: build farm }\n  - { name: session recording, vendor: Citrix, product: Session Recording, instances: 2, collection: dc, testsFirst: true }\n',
  );
  const config = resolveConfig(
    {
      dataDir: dir,
      store: { url: 'sqlite::memory:' },
      sources: [{ id: 'cisa-kev', kind: 'kev', url: pathToFileURL(corpusPath('kev/known_exploited_vulnerabilities.2025-08-25.json')).href }],
      inventory: { files: [join(dir, 'inventory.yaml')] },
      feed: { limit: 2000 },
    },
    { baseDir: dir, env: { SECWATCH_ADMIN_TOKEN: TOKEN } },
  );
  app = await createApp(config, { clock: fixedClock('2025-08-26T09:00:00Z'), log: silentLogger });
  const metrics = createMetrics(app.store, app.sources);
  const summary = await runCycle(app);
  summary.sources.forEach((r) => metrics.recordReport(r));
  const built = buildServer({ ...app, metrics });
  routes = built.routes;
  base = await built.server.listen({ host: '127.0.0.1', port: 0 });
  close = async () => {
    await built.server.close();
    await app.close();
  };
});

afterAll(async () => close());

describe('HTTP service', () => {
  it('answers liveness and readiness without a token', async () => {
    expect(await (await get('/healthz')).json()).toEqual({ status: 'ok' });
    const ready = (await (await get('/readyz')).json()) as { status: string; sources: { id: string; lastSuccessAt: string; failing: boolean }[] };
    expect(ready).toMatchObject({ status: 'ready', sources: [{ id: 'cisa-kev', lastSuccessAt: '2025-08-26T09:00:00.000Z', failing: false }] });
  });

  it('refuses every management route without the right token (enumerated from the route table)', async () => {
    const admin = routes.filter((r) => r.admin);
    expect(admin.map((r) => r.url)).toEqual(expect.arrayContaining(['/feed.json', '/advisories', '/advisories/:id', '/sources', '/metrics', '/deadlines.ics']));
    for (const route of admin) {
      const path = route.url.replace(':id', 'cisa-kev');
      expect((await get(path)).status, `${route.method} ${path} without token`).toBe(401);
      expect((await get(path, { authorization: 'Bearer wrong' })).status, `${route.method} ${path} wrong token`).toBe(401);
    }
    expect(routes.filter((r) => !r.admin).map((r) => r.url).sort()).toEqual(['/healthz', '/readyz']);
  });

  it('serves the JSON Feed with an ETag and answers 304 to a reader that has it', async () => {
    const res = await get('/feed.json', auth);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/feed\+json/);
    const feed = (await res.json()) as { version: string; items: { id: string; _secwatch: { matched: string[] } }[] };
    expect(feed.version).toBe('https://jsonfeed.org/version/1.1');
    expect(feed.items.find((i) => i.id === 'kev:CVE-2025-48384')?._secwatch.matched).toEqual(['git build agents']);
    const etag = res.headers.get('etag') ?? '';
    expect(etag).not.toBe('');
    expect((await get('/feed.json', { ...auth, 'if-none-match': etag })).status).toBe(304);
    expect((await get('/sources/cisa-kev/feed.json', auth)).status).toBe(200);
    expect((await get('/sources/nope/feed.json', auth)).status).toBe(404);
  });

  it('lists advisories and shows one with its revisions and matches', async () => {
    const list = (await (await get('/advisories?limit=5&source=cisa-kev', auth)).json()) as { items: unknown[] };
    expect(list.items).toHaveLength(5);
    expect((await get('/advisories?limit=0', auth)).status).toBe(400);
    const one = (await (await get('/advisories/kev:CVE-2024-8069', auth)).json()) as { advisory: { id: string }; revisions: unknown[]; matches: { item: { name: string }; applyBy: string }[] };
    expect(one.advisory.id).toBe('kev:CVE-2024-8069');
    expect(one.revisions).toHaveLength(1);
    // KEV dueDate 2025-09-15 beats msrc-classic important, tested first (2 months from 2025-08-25).
    expect(one.matches).toMatchObject([{ item: { name: 'session recording' }, applyBy: '2025-09-15' }]);
    expect((await get('/advisories/kev:CVE-0000-0000', auth)).status).toBe(404);
  });

  it('publishes apply-by deadlines as a calendar an iCalendar parser reads', async () => {
    const res = await get('/deadlines.ics', auth);
    expect(res.headers.get('content-type')).toMatch(/^text\/calendar/);
    const comp = new ICAL.Component(ICAL.parse(await res.text()) as unknown[]);
    const events = comp.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    const matches = (await app.store.listMatches()).filter((m) => m.applyBy);
    expect(events).toHaveLength(matches.length);
    for (const m of matches) {
      const ev = events.find((e) => e.uid === `${m.advisoryId}/${m.item.collection}/${m.item.name}@secwatch`);
      expect(ev?.startDate.toString()).toBe(m.applyBy);
      expect(ev?.startDate.isDate).toBe(true);
    }
  });

  it('exposes Prometheus metrics', async () => {
    const text = await (await get('/metrics', auth)).text();
    expect(text).toMatch(/^# HELP secwatch_polls_total /m);
    expect(text).toMatch(/^secwatch_polls_total\{source="cisa-kev",outcome="ok"\} 1$/m);
    expect(text).toMatch(/^secwatch_items_total\{source="cisa-kev",change="new"\} 1404$/m);
    expect(text).toMatch(/^secwatch_source_failing\{source="cisa-kev"\} 0$/m);
    // Every non-comment line is `name{labels} value`.
    for (const line of text.split('\n').filter((l) => l && !l.startsWith('#'))) expect(line).toMatch(/^[a-zA-Z_:][\w:]*(\{.*\})? -?[\d.e+-]+|NaN|[+-]Inf$/);
  });
});
