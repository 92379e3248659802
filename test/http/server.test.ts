import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { compileErrors, validate } from '@readme/openapi-parser';
import ICAL from 'ical.js';
import Parser from 'rss-parser';
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
    // A test may leave a large body unread: the server would wait for that connection forever.
    built.server.server.closeAllConnections();
    await built.server.close();
    await app.close();
  };
}, 120_000);

afterAll(async () => close(), 60_000);

describe('HTTP service', () => {
  it('answers liveness and readiness without a token', async () => {
    expect(await (await get('/healthz')).json()).toEqual({ status: 'ok' });
    const ready = (await (await get('/readyz')).json()) as { status: string; sources: { id: string; lastSuccessAt: string; failing: boolean }[] };
    expect(ready).toMatchObject({ status: 'ready', sources: [{ id: 'cisa-kev', lastSuccessAt: '2025-08-26T09:00:00.000Z', failing: false }] });
  });

  it('refuses every management route without the right token (enumerated from the route table)', async () => {
    const admin = routes.filter((r) => r.admin);
    expect(admin.map((r) => `${r.method} ${r.url}`)).toEqual(
      expect.arrayContaining(['GET /feed.json', 'GET /advisories', 'PUT /inventory/collections/:collection', 'GET /subscriptions', 'POST /subscriptions', 'PATCH /subscriptions/:id', 'DELETE /subscriptions/:id', 'POST /deliveries/:key/retry', 'GET /quarantine', 'GET /metrics']),
    );
    for (const route of admin) {
      const path = route.url.replace(/:(\w+)/g, 'x');
      const init = { method: route.method, ...(['POST', 'PATCH', 'PUT'].includes(route.method) ? { body: '{}', headers: { 'content-type': 'application/json' } } : {}) };
      const none = await fetch(`${base}${path}`, init);
      expect(none.status, `${route.method} ${path} without token`).toBe(401);
      const wrong = await fetch(`${base}${path}`, { ...init, headers: { ...init.headers, authorization: 'Bearer wrong' } });
      expect(wrong.status, `${route.method} ${path} wrong token`).toBe(401);
    }
    // Public: health, the OpenAPI document, subscribing by email and the token-addressed pages and feeds.
    expect([...new Set(routes.filter((r) => !r.admin).map((r) => r.url))].sort()).toEqual(
      ['/ack', '/confirm/:token', '/feeds/:token.atom', '/feeds/:token.ics', '/feeds/:token.json', '/healthz', '/openapi.json', '/readyz', '/subscriptions/email', '/unsubscribe/:token'].sort(),
    );
  });

  it('serves an OpenAPI 3 document that validates and lists every registered route', async () => {
    const res = await get('/openapi.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, { security?: unknown[] }>> };
    expect(doc.openapi).toMatch(/^3\./);
    const result = await validate(structuredClone(doc) as never);
    expect(result.valid, result.valid ? '' : compileErrors(result)).toBe(true);
    for (const r of routes) {
      const path = r.url.replace(/:(\w+)/g, '{$1}');
      const op = doc.paths[path]?.[r.method.toLowerCase()];
      expect(op, `${r.method} ${r.url} in openapi.json`).toBeDefined();
      expect(Boolean(op?.security), `${r.method} ${r.url} security`).toBe(r.admin);
    }
    const documented = Object.values(doc.paths).reduce((n, ops) => n + Object.keys(ops).length, 0);
    expect(documented).toBe(routes.length);
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
    const perSource = await get('/sources/cisa-kev/feed.json', auth);
    expect(perSource.status).toBe(200);
    await perSource.arrayBuffer();
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

  it('filters advisories by CVE, source, severity, kind, matched and since, and pages through all of them once', async () => {
    const catalog = JSON.parse(readFileSync(corpusPath('kev/known_exploited_vulnerabilities.2025-08-25.json'), 'utf8')) as { vulnerabilities: { cveID: string; vendorProject: string; product: string }[] };
    const one = (await (await get('/advisories?cve=cve-2025-48384', auth)).json()) as { items: { id: string }[] };
    expect(one.items.map((i) => i.id)).toEqual(['kev:CVE-2025-48384']);
    // The inventory names Git/Git and Citrix/Session Recording: the matched advisories are exactly those catalog entries.
    const expectedMatched = catalog.vulnerabilities
      .filter((v) => (v.vendorProject === 'Git' && v.product === 'Git') || (v.vendorProject === 'Citrix' && v.product === 'Session Recording'))
      .map((v) => `kev:${v.cveID}`)
      .sort();
    const matched = (await (await get('/advisories?matched=true', auth)).json()) as { items: { id: string }[] };
    expect(matched.items.map((i) => i.id).sort()).toEqual(expectedMatched);
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const page = (await (await get(`/advisories?limit=500&source=cisa-kev&kind=advisory&severity=critical,important,moderate,low,none${cursor ? `&cursor=${cursor}` : ''}`, auth)).json()) as { items: { id: string }[]; nextCursor?: string };
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
      if (!cursor) break;
    }
    expect(seen).toHaveLength(catalog.vulnerabilities.length);
    expect(new Set(seen)).toEqual(new Set(catalog.vulnerabilities.map((v) => `kev:${v.cveID}`)));
    expect(((await (await get('/advisories?since=2025-08-27T00:00:00Z', auth)).json()) as { items: unknown[] }).items).toEqual([]);
    expect(((await (await get('/advisories?kind=advance-notice', auth)).json()) as { items: unknown[] }).items).toEqual([]);
    expect((await get('/advisories?cursor=bogus', auth)).status).toBe(400);
    expect((await get('/advisories?severity=urgent', auth)).status).toBe(400);
  });

  it('acknowledges a match, shows it with the advisory, and withdraws it', async () => {
    const path = `/advisories/kev:CVE-2025-48384/matches/ci/${encodeURIComponent('git build agents')}/acknowledgement`;
    const post = (body: unknown, p = path) => fetch(`${base}${p}`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const made = await post({ status: 'applied', note: 'rolled out <v2.50.1> & rebooted' });
    expect(made.status).toBe(201);
    expect(await made.json()).toMatchObject({ advisoryId: 'kev:CVE-2025-48384', itemCollection: 'ci', itemName: 'git build agents', status: 'applied' });
    expect((await post({ status: 'done' })).status).toBe(400);
    expect((await post({ status: 'applied' }, '/advisories/kev:CVE-2024-8069/matches/ci/git%20build%20agents/acknowledgement')).status).toBe(404);
    const shown = (await (await get('/advisories/kev:CVE-2025-48384', auth)).json()) as { acknowledgements: { note: string }[] };
    expect(shown.acknowledgements).toMatchObject([{ status: 'applied', note: 'rolled out <v2.50.1> & rebooted' }]);
    expect(((await (await get('/acknowledgements', auth)).json()) as { acknowledgements: unknown[] }).acknowledgements).toHaveLength(1);
    expect((await fetch(`${base}${path}`, { method: 'DELETE', headers: auth })).status).toBe(204);
    expect((await fetch(`${base}${path}`, { method: 'DELETE', headers: auth })).status).toBe(404);
  });

  it('creates, lists, changes and deletes store subscriptions; the webhook secret is shown once', async () => {
    const send = (method: string, path: string, body?: unknown) =>
      fetch(`${base}${path}`, { method, headers: { ...auth, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
    const created = await send('POST', '/subscriptions', { channel: 'webhook', target: 'https://hooks.example.org/secwatch', minSeverity: 'critical', sources: ['cisa-kev'] });
    expect(created.status).toBe(201);
    const body = (await created.json()) as { subscription: { id: string; status: string; settings: Record<string, unknown> }; token: string; webhookSecret: string; feeds: { json: string } };
    expect(body.subscription).toMatchObject({ status: 'active', settings: { minSeverity: 'critical', matchedOnly: true, sources: ['cisa-kev'] } });
    expect(body.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(body.webhookSecret).toMatch(/^whsec_[A-Za-z0-9+/=]{44}$/);
    expect(body.feeds.json).toBe(`/feeds/${body.token}.json`);
    const listed = await (await send('GET', '/subscriptions')).text();
    expect(listed).toContain(body.subscription.id);
    expect(listed).not.toContain(body.webhookSecret);
    expect((await send('POST', '/subscriptions', { channel: 'email', target: 'not an address' })).status).toBe(400);
    const patched = (await (await send('PATCH', `/subscriptions/${body.subscription.id}`, { matchedOnly: false })).json()) as { settings: Record<string, unknown> };
    expect(patched.settings).toEqual({ minSeverity: 'critical', matchedOnly: false, sources: ['cisa-kev'] });
    expect((await send('DELETE', `/subscriptions/${body.subscription.id}`)).status).toBe(204);
    expect((await send('GET', `/subscriptions/${body.subscription.id}`)).status).toBe(404);
    expect((await get(`/feeds/${body.token}.json`)).status).toBe(404);
  });

  it('lists deliveries by status and puts a failed one back to pending', async () => {
    const key = 'ops:kev:CVE-2025-48384:1';
    await app.store.createDelivery({ key, subscriptionId: 'ops', advisoryId: 'kev:CVE-2025-48384', revision: 1, channel: 'webhook', payload: {}, createdAt: new Date('2025-08-26T09:00:00Z') });
    await app.store.updateDelivery(key, { status: 'failed', attempts: 8, lastError: 'gave up' });
    const failed = (await (await get('/deliveries?status=failed', auth)).json()) as { deliveries: { key: string; attempts: number }[] };
    expect(failed.deliveries).toMatchObject([{ key, attempts: 8 }]);
    const retry = () => fetch(`${base}/deliveries/${encodeURIComponent(key)}/retry`, { method: 'POST', headers: auth });
    const res = await retry();
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ key, status: 'pending', attempts: 8 });
    expect((await retry()).status).toBe(409);
    expect((await fetch(`${base}/deliveries/nope/retry`, { method: 'POST', headers: auth })).status).toBe(404);
    expect(((await (await get('/quarantine', auth)).json()) as { quarantine: unknown[] }).quarantine).toEqual([]);
  });

  it('imports, lists and deletes an inventory collection (CSV and JSON), skipping bad rows unless strict', async () => {
    const put = (body: string, type: string, query = '') =>
      fetch(`${base}/inventory/collections/web${query}`, { method: 'PUT', headers: { ...auth, 'content-type': type }, body });
    const csv = 'name,vendor,product,instances\nweb front,nginx,nginx,4\napi gateway,Example,Gateway,two\n';
    expect((await put(csv, 'text/csv', '?strict=true')).status).toBe(422);
    const imported = await put(csv, 'text/csv');
    expect(imported.status).toBe(200);
    const result = (await imported.json()) as { items: number; added: number; errors: string[] };
    expect(result).toMatchObject({ items: 1, added: 1 });
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(/line 3/);
    const listed = (await (await get('/inventory?collection=web', auth)).json()) as { items: { name: string; instances: number }[] };
    expect(listed.items).toMatchObject([{ name: 'web front', instances: 4 }]);
    // JSON in the YAML form replaces the collection whole.
    const json = await put(JSON.stringify({ items: [{ name: 'api gateway', vendor: 'Example', product: 'Gateway', instances: 2 }] }), 'application/json');
    expect(await json.json()).toMatchObject({ added: 1, removed: 1 });
    const all = (await (await get('/inventory', auth)).json()) as { items: { name: string; collection: string }[] };
    expect(all.items.map((i) => `${i.collection}/${i.name}`).sort()).toEqual(['ci/git build agents', 'dc/session recording', 'web/api gateway']);
    expect(((await (await get('/inventory/collections', auth)).json()) as { collections: { collection: string; items: number }[] }).collections).toMatchObject([{ collection: 'web', items: 1 }]);
    expect((await fetch(`${base}/inventory/collections/web`, { method: 'DELETE', headers: auth })).status).toBe(204);
    expect((await fetch(`${base}/inventory/collections/web`, { method: 'DELETE', headers: auth })).status).toBe(404);
  });

  it('renders the global feed as Atom with the same items as the JSON Feed', async () => {
    const json = (await (await get('/feed.json', auth)).json()) as { items: { id: string; title: string }[] };
    const res = await get('/feed.atom', auth);
    expect(res.headers.get('content-type')).toMatch(/^application\/atom\+xml/);
    const etag = res.headers.get('etag') ?? '';
    const atom = await new Parser().parseString(await res.text());
    expect(atom.items.map((i) => i.title)).toEqual(json.items.map((i) => i.title));
    expect(atom.items.map((i) => (i as { id?: string }).id)).toEqual(json.items.map((i) => `urn:secwatch:${encodeURIComponent(i.id)}`));
    expect((await get('/feed.atom', { ...auth, 'if-none-match': etag })).status).toBe(304);
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
