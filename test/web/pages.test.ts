// The web pages through fastify inject, after one real cycle: KEV catalog + inventory, and the
// gocsaf provider on 127.0.0.1 serving the tampered CSAF document (quarantined).
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { resolveConfig } from '../../src/config/load.js';
import { createMetrics } from '../../src/http/metrics.js';
import { buildServer } from '../../src/http/server.js';
import { runCycle } from '../../src/pipeline/index.js';
import type { Store } from '../../src/store/store.js';
import { fixedClock } from '../../src/util/clock.js';
import { silentLogger } from '../../src/util/logger.js';
import { CookieJar, csrfField } from './cookie-jar.js';
import { ADMIN_TOKEN, TAMPERED_PATH, inventoryHits, webFixture, type WebFixture } from './web-fixture.js';

const TODAY = '2025-09-10';
let fixture: WebFixture;
let app: App;
let server: FastifyInstance;

beforeAll(async () => {
  fixture = await webFixture();
  const config = resolveConfig({ ...fixture.config, store: { url: 'sqlite::memory:' } }, { baseDir: fixture.dir, env: { SECWATCH_ADMIN_TOKEN: ADMIN_TOKEN } });
  app = await createApp(config, { clock: fixedClock(`${TODAY}T09:00:00Z`), log: silentLogger });
  await runCycle(app);
  server = buildServer({ ...app, metrics: createMetrics(app.store, app.sources) }).server;
  await server.ready();
}, 120_000);

afterAll(async () => {
  await server.close();
  await app.close();
  await fixture.close();
});

type Method = 'GET' | 'POST';
async function request(jar: CookieJar, method: Method, url: string, form?: Record<string, string>) {
  const res = await server.inject({
    method,
    url,
    headers: { cookie: jar.header, ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
    ...(form ? { payload: new URLSearchParams(form).toString() } : {}),
  });
  jar.take(res.headers['set-cookie']);
  return res;
}

/** A browser that has logged in as the admin. */
async function admin(): Promise<CookieJar> {
  const jar = new CookieJar();
  const login = await request(jar, 'GET', '/ui/login');
  const res = await request(jar, 'POST', '/ui/login', { csrf: csrfField(login.body), token: ADMIN_TOKEN, next: '/' });
  expect(res.statusCode).toBe(303);
  return jar;
}

/** The deadline rows of the home page in order: [group, advisory id, item name]. */
function rows(html: string): [string, string, string][] {
  const out: [string, string, string][] = [];
  for (const g of html.matchAll(/<ol class="deadlines" data-group="([^"]+)">([\s\S]*?)<\/ol>/g)) {
    for (const r of g[2]!.matchAll(/data-advisory="([^"]+)" data-item="([^"]+)"/g)) out.push([g[1]!, r[1]!, r[2]!]);
  }
  return out;
}

describe('web pages: login', () => {
  it('sends a visitor without the login to the login page, keeping where they were going', async () => {
    const res = await request(new CookieJar(), 'GET', '/ui/sources');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/ui/login?next=%2Fui%2Fsources');
  });

  it('logs in with the admin token into an HttpOnly SameSite=Strict cookie that is not the token; a wrong token is refused', async () => {
    const jar = new CookieJar();
    const page = await request(jar, 'GET', '/ui/login');
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    const wrong = await request(jar, 'POST', '/ui/login', { csrf: csrfField(page.body), token: 'not-it', next: '/' });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.body).toContain('That is not the admin token.');
    expect(jar.has('secwatch_session')).toBe(false);
    const ok = await server.inject({
      method: 'POST',
      url: '/ui/login',
      headers: { cookie: jar.header, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ csrf: csrfField(page.body), token: ADMIN_TOKEN, next: '//evil.example/' }).toString(),
    });
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe('/');
    const session = [ok.headers['set-cookie']].flat().find((c) => c?.startsWith('secwatch_session='));
    expect(session).toMatch(/; HttpOnly; SameSite=Strict; Max-Age=43200$/);
    expect(session).not.toContain(ADMIN_TOKEN);
    expect(session).not.toContain('Secure');
  });

  it('without SECWATCH_ADMIN_TOKEN the admin pages stay shut and the login page says why', async () => {
    const config = resolveConfig({ ...fixture.config, store: { url: 'sqlite::memory:' } }, { baseDir: fixture.dir, env: {} });
    const bare = await createApp(config, { clock: fixedClock(`${TODAY}T09:00:00Z`), log: silentLogger });
    const open = buildServer({ ...bare, metrics: createMetrics(bare.store, bare.sources) }).server;
    try {
      const jar = new CookieJar();
      const page = await open.inject({ method: 'GET', url: '/ui/login' });
      jar.take(page.headers['set-cookie']);
      expect(page.body).toContain('SECWATCH_ADMIN_TOKEN is not set: the admin pages are disabled.');
      const tried = await open.inject({ method: 'POST', url: '/ui/login', headers: { cookie: jar.header, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ csrf: csrfField(page.body), token: '' }).toString() });
      expect(tried.statusCode).toBe(401);
      expect((await open.inject({ method: 'GET', url: '/' })).statusCode).toBe(303);
    } finally {
      await open.close();
      await bare.close();
    }
  });

  it('refuses a login post without the CSRF field (403)', async () => {
    const jar = new CookieJar();
    await request(jar, 'GET', '/ui/login');
    const res = await request(jar, 'POST', '/ui/login', { token: ADMIN_TOKEN });
    expect(res.statusCode).toBe(403);
    expect(jar.has('secwatch_session')).toBe(false);
  });
});

describe('web pages: deadlines', () => {
  it('lists every match by apply-by date, overdue first, with product, item and rule', async () => {
    const jar = await admin();
    const res = await request(jar, 'GET', '/');
    expect(res.statusCode).toBe(200);
    const listed = rows(res.body);
    const hits = inventoryHits();
    expect(listed.map(([, id]) => id).sort()).toEqual([...new Set(hits.map((h) => `kev:${h.cveID}`))].sort());
    // Groups follow the catalog's due dates against the fixed clock.
    for (const [group, id] of listed) {
      const due = hits.find((h) => `kev:${h.cveID}` === id)!.dueDate;
      expect(group, id).toBe(due < TODAY ? 'overdue' : due <= '2025-09-16' ? 'this-week' : 'later');
    }
    const order = listed.map(([, id]) => hits.find((h) => `kev:${h.cveID}` === id)!.dueDate);
    expect(order).toEqual([...order].sort());
    expect(listed[0]![0]).toBe('overdue');
    expect(res.body).toContain('<code>kev dueDate (CISA KEV, added 2025-08-25)</code>');
    expect(res.body).toContain('edge gateways · 4 instance(s) · Frankfurt · collection dmz');
  });

  it('acknowledges a match with a note: recorded in the store, gone from the list', async () => {
    const jar = await admin();
    const page = await request(jar, 'GET', '/');
    const [, advisoryId, item] = rows(page.body)[0]!;
    const match = (await app.store.listMatches([advisoryId])).find((m) => m.item.name === item)!;
    const res = await request(jar, 'POST', '/ui/acknowledge', { csrf: csrfField(page.body), advisoryId, collection: match.item.collection, item, status: 'applied', note: 'patched in CHG-7' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/');
    expect(await app.store.listAcknowledgements([advisoryId])).toMatchObject([{ advisoryId, itemName: item, status: 'applied', note: 'patched in CHG-7' }]);
    const after = await request(jar, 'GET', '/');
    expect(rows(after.body).some(([, id, name]) => id === advisoryId && name === item)).toBe(false);
    expect(after.body).toContain('patched in CHG-7');
    await app.store.removeAcknowledgement(advisoryId, match.item.collection, item);
  });

  it('refuses a forged acknowledgement (no CSRF field, or one minted for another browser) with 403 and records nothing', async () => {
    const jar = await admin();
    const page = await request(jar, 'GET', '/');
    const [, advisoryId, item] = rows(page.body)[0]!;
    const collection = (await app.store.listMatches([advisoryId])).find((m) => m.item.name === item)!.item.collection;
    const forged = await request(jar, 'POST', '/ui/acknowledge', { advisoryId, collection, item, status: 'applied' });
    expect(forged.statusCode).toBe(403);
    const other = await admin();
    const otherToken = csrfField((await request(other, 'GET', '/')).body);
    expect(otherToken).not.toBe(csrfField(page.body));
    const mismatched = await request(jar, 'POST', '/ui/acknowledge', { csrf: otherToken, advisoryId, collection, item, status: 'applied' });
    expect(mismatched.statusCode).toBe(403);
    expect(await app.store.listAcknowledgements()).toEqual([]);
  });

  it('answers an acknowledgement for a match that does not exist with 404, naming it', async () => {
    const jar = await admin();
    const page = await request(jar, 'GET', '/');
    const res = await request(jar, 'POST', '/ui/acknowledge', { csrf: csrfField(page.body), advisoryId: 'kev:CVE-2025-48384', collection: 'ci', item: 'no such item', status: 'applied' });
    expect(res.statusCode).toBe(404);
    expect(res.body).toContain('has no match for item &quot;no such item&quot; in collection &quot;ci&quot;');
  });
});

describe('web pages: advisories', () => {
  it('filters by CVE, severity floor, source, matched only, date range and search words', async () => {
    const jar = await admin();
    const byCve = await request(jar, 'GET', '/ui/advisories?cve=cve-2025-48384');
    expect([...byCve.body.matchAll(/<span class="id">([^<]+)<\/span>/g)].map((m) => m[1])).toEqual(['kev:CVE-2025-48384']);
    const matched = await request(jar, 'GET', '/ui/advisories?matched=yes&source=cisa-kev');
    const ids = [...matched.body.matchAll(/<span class="id">([^<]+)<\/span>/g)].map((m) => m[1]).sort();
    expect(ids).toEqual([...new Set(inventoryHits().map((h) => `kev:${h.cveID}`))].sort());
    const search = await request(jar, 'GET', '/ui/advisories?matched=yes&q=session+recording');
    const found = [...search.body.matchAll(/<span class="id">([^<]+)<\/span>/g)].map((m) => m[1]).sort();
    expect(found).toEqual(inventoryHits().filter((h) => h.product === 'Session Recording').map((h) => `kev:${h.cveID}`).sort());
    const none = await request(jar, 'GET', '/ui/advisories?from=2030-01-01');
    expect(none.body).toContain('No advisory matches these filters.');
    const bad = await request(jar, 'GET', '/ui/advisories?severity=urgent&cve=nope');
    expect(bad.statusCode).toBe(200);
    expect(bad.body).toContain('severity: &quot;urgent&quot; is not one of critical, important, moderate, low, none');
    expect(bad.body).toContain('cve: &quot;nope&quot; is not a CVE id');
  });

  it('shows one advisory with its source, signature, revisions, matches and vendor link', async () => {
    const jar = await admin();
    const res = await request(jar, 'GET', `/ui/advisories/${encodeURIComponent('kev:CVE-2025-48384')}`);
    expect(res.statusCode).toBe(200);
    const stored = (await app.store.getAdvisory('kev:CVE-2025-48384'))!.advisory;
    expect(res.body).toContain('<h1>' + stored.title.replace(/&/g, '&amp;').replace(/'/g, '&#x27;') + '</h1>');
    expect(res.body).toContain('cisa-kev (kev)');
    expect(res.body).toContain(`<dd class="sig-${stored.signature.status}">`);
    expect(res.body).toContain('Revision 1');
    expect(res.body).toContain('git build agents · 12 instance(s) · build farm · ci');
    for (const link of [stored.url, stored.remediation.url].filter(Boolean)) expect(res.body).toContain(`href="${link!.replace(/&/g, '&amp;')}"`);
    expect((await request(jar, 'GET', '/ui/advisories/kev%3ACVE-0000-0000')).statusCode).toBe(404);
  });
});

describe('web pages: sources and quarantine', () => {
  it('lists each source with its last poll and verification, and the tampered CSAF document with its reason', async () => {
    const jar = await admin();
    const res = await request(jar, 'GET', '/ui/sources');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<strong>cisa-kev</strong>');
    expect(res.body).toContain('<strong>acme-csaf</strong><br>csaf, every 1 h, verify: require');
    expect(res.body).toContain('2025-09-10 09:00 UTC');
    const [q] = await app.store.listQuarantine();
    expect(q).toMatchObject({ sourceId: 'acme-csaf', url: `${fixture.provider.url}${TAMPERED_PATH}`, status: 'bad' });
    expect(res.body).toContain(`${fixture.provider.url}${TAMPERED_PATH}`);
    expect(res.body).toContain(q!.reason);
    expect(res.body).toContain('1 quarantined');
  });
});

describe('web pages: subscriptions', () => {
  async function subscribe(target: string, minSeverity: string): Promise<{ id: string; token: string }> {
    const res = await server.inject({ method: 'POST', url: '/subscriptions', headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, payload: { channel: 'email', target, minSeverity } });
    const body = res.json<{ subscription: { id: string }; token: string }>();
    return { id: body.subscription.id, token: body.token };
  }

  it('a subscriber link shows that subscriber only, with their feed links, and saves their changes', async () => {
    const alice = await subscribe('alice@example.org', 'critical');
    const bob = await subscribe('bob@example.org', 'low');
    const jar = new CookieJar();
    const page = await request(jar, 'GET', `/ui/my/${alice.token}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('alice@example.org');
    expect(page.body).not.toContain('bob@example.org');
    expect(page.body).not.toContain(bob.id);
    expect(page.body).toContain(`href="/feeds/${alice.token}.ics"`);
    expect(page.body).toContain('<option value="critical" selected>');
    const saved = await request(jar, 'POST', `/ui/my/${alice.token}`, { csrf: csrfField(page.body), minSeverity: 'moderate', schedule: 'daily', at: '07:30', timeZone: 'Europe/Berlin' });
    expect(saved.statusCode).toBe(303);
    expect((await app.store.getSubscription(alice.id))?.settings).toMatchObject({ minSeverity: 'moderate', matchedOnly: false, delivery: { mode: 'digest', every: 'daily', at: '07:30', timeZone: 'Europe/Berlin' } });
    expect((await app.store.getSubscription(bob.id))?.settings.minSeverity).toBe('low');
    const bad = await request(jar, 'POST', `/ui/my/${alice.token}`, { csrf: csrfField(page.body), minSeverity: 'low', schedule: 'daily', at: '25:00' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('digest time &quot;25:00&quot; is not HH:MM');
    const forged = await request(jar, 'POST', `/ui/my/${alice.token}`, { minSeverity: 'none' });
    expect(forged.statusCode).toBe(403);
    expect((await app.store.getSubscription(alice.id))?.settings.minSeverity).toBe('moderate');
    expect((await request(jar, 'GET', `/ui/my/${'x'.repeat(43)}`)).statusCode).toBe(404);
  });

  it('the admin sees and edits every subscription', async () => {
    const carol = await subscribe('carol@example.org', 'important');
    const jar = await admin();
    const page = await request(jar, 'GET', '/ui/subscriptions');
    expect(page.body).toContain('carol@example.org');
    const res = await request(jar, 'POST', `/ui/subscriptions/${carol.id}`, { csrf: csrfField(page.body), minSeverity: 'critical', matchedOnly: 'yes', schedule: 'immediate', status: 'unsubscribed' });
    expect(res.statusCode).toBe(303);
    expect(await app.store.getSubscription(carol.id)).toMatchObject({ status: 'unsubscribed', settings: { minSeverity: 'critical', matchedOnly: true, delivery: { mode: 'immediate' } } });
  });
});

describe('web pages when the store fails', () => {
  it('answer 500 with a page, and log the route without the subscriber token', async () => {
    const lines: string[] = [];
    const log = pino({ level: 'error' }, { write: (line: string) => void lines.push(line) });
    const broken = Object.create(app.store) as Store;
    broken.findSubscriptionByToken = () => Promise.reject(new Error('database is down'));
    const failing = buildServer({ ...app, store: broken, log, metrics: createMetrics(app.store, app.sources) }).server;
    try {
      const token = 'T'.repeat(43);
      const res = await failing.inject({ method: 'GET', url: `/ui/my/${token}` });
      expect(res.statusCode).toBe(500);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.body).toContain('Something went wrong on our side');
      expect(res.body).not.toContain('database is down');
      expect(lines.join('')).toContain('database is down');
      expect(lines.join('')).toContain('GET /ui/my/:token');
      expect(lines.join('')).not.toContain(token);
    } finally {
      await failing.close();
    }
  });
});

describe('web pages beside the API', () => {
  it('leaves the JSON API and its OpenAPI document as they were', async () => {
    const api = await server.inject({ method: 'GET', url: '/advisories/kev:CVE-2025-48384', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(api.headers['content-type']).toMatch(/^application\/json/);
    const doc = (await server.inject({ method: 'GET', url: '/openapi.json' })).json<{ paths: Record<string, unknown> }>();
    expect(Object.keys(doc.paths).filter((p) => p === '/' || p.startsWith('/ui'))).toEqual([]);
    const css = await server.inject({ method: 'GET', url: '/ui/assets/secwatch.css' });
    expect(css.headers['content-type']).toMatch(/^text\/css/);
    expect(css.body).toContain('@media print');
  });
});
