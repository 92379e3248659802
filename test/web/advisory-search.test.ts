// The advisories page's search box and published range through fastify inject, after one real cycle
// on the KEV catalog (1,404 entries): the store searches them all, not the 200 of one page.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { resolveConfig } from '../../src/config/load.js';
import { createMetrics } from '../../src/http/metrics.js';
import { buildServer } from '../../src/http/server.js';
import { runCycle } from '../../src/pipeline/index.js';
import { fixedClock } from '../../src/util/clock.js';
import { silentLogger } from '../../src/util/logger.js';
import { corpus } from '../helpers/corpus.js';
import { CookieJar, csrfField } from './cookie-jar.js';
import { ADMIN_TOKEN, KEV_FILE, webFixture, type KevEntry, type WebFixture } from './web-fixture.js';

type KevRow = KevEntry & { dateAdded: string; vulnerabilityName: string };
let fixture: WebFixture;
let app: App;
let server: FastifyInstance;
let jar: CookieJar;
const catalog = (JSON.parse(corpus(KEV_FILE).toString('utf8')) as { vulnerabilities: KevRow[] }).vulnerabilities;

beforeAll(async () => {
  fixture = await webFixture();
  const config = resolveConfig({ ...fixture.config, store: { url: 'sqlite::memory:' } }, { baseDir: fixture.dir, env: { SECWATCH_ADMIN_TOKEN: ADMIN_TOKEN } });
  app = await createApp(config, { clock: fixedClock('2025-09-10T09:00:00Z'), log: silentLogger });
  await runCycle(app);
  server = buildServer({ ...app, metrics: createMetrics(app.store, app.sources) }).server;
  await server.ready();
  jar = new CookieJar();
  const login = await page('/ui/login');
  const res = await server.inject({
    method: 'POST',
    url: '/ui/login',
    headers: { cookie: jar.header, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ csrf: csrfField(login.body), token: ADMIN_TOKEN, next: '/' }).toString(),
  });
  jar.take(res.headers['set-cookie']);
  expect(res.statusCode).toBe(303);
}, 120_000);

afterAll(async () => {
  await server.close();
  await app.close();
  await fixture.close();
});

async function page(url: string) {
  const res = await server.inject({ method: 'GET', url, headers: { cookie: jar.header } });
  jar.take(res.headers['set-cookie']);
  return res;
}
const idsOn = (html: string): string[] => [...html.matchAll(/<span class="id">([^<]+)<\/span>/g)].map((m) => m[1]!);
const kevIds = (keep: (v: KevRow) => boolean): string[] => catalog.filter(keep).map((v) => `kev:${v.cveID}`).sort();

describe('web page: advisory search', () => {
  it('finds an advisory that is not on the first page of 200', async () => {
    const first = await page('/ui/advisories');
    expect(idsOn(first.body)).toHaveLength(200);
    expect(first.body).toContain('rel="next"');
    const wanted = kevIds((v) => v.vendorProject === 'Citrix' && v.product === 'Session Recording');
    expect(wanted.length).toBeGreaterThan(0);
    for (const id of wanted) expect(idsOn(first.body)).not.toContain(id);

    const search = await page('/ui/advisories?q=citrix+SESSION+recording');
    expect(search.statusCode).toBe(200);
    expect(idsOn(search.body).sort()).toEqual(wanted);
    expect(search.body).not.toContain('rel="next"');
  });

  it('applies the published range to the whole store, and the next-page link keeps search and range', async () => {
    // KEV advisories are published on the day they were added to the catalog.
    const week = await page('/ui/advisories?from=2025-08-18&to=2025-08-25');
    expect(idsOn(week.body).sort()).toEqual(kevIds((v) => v.dateAdded >= '2025-08-18' && v.dateAdded <= '2025-08-25'));

    // Whole word "microsoft" in the vendor, product or title (vulnerabilityName), any case.
    const microsoft = kevIds((v) => /\bmicrosoft\b/i.test(`${v.vendorProject} ${v.product} ${v.vulnerabilityName}`));
    expect(microsoft.length).toBeGreaterThan(200);
    const seen: string[] = [];
    let url: string | undefined = '/ui/advisories?q=microsoft&from=2000-01-01&to=2025-08-25';
    for (let n = 0; url && n < 10; n++) {
      const res = await page(url);
      seen.push(...idsOn(res.body));
      const next = /<a href="([^"]+)" rel="next">/.exec(res.body)?.[1]?.replaceAll('&#x3D;', '=').replaceAll('&amp;', '&');
      if (next) expect(new URLSearchParams(next.split('?')[1]).get('q')).toBe('microsoft');
      url = next;
    }
    expect(seen.sort()).toEqual(microsoft);
  });

  it('names a day that does not exist instead of failing', async () => {
    const res = await page('/ui/advisories?to=2025-02-30');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('to: &quot;2025-02-30&quot; is not a date (YYYY-MM-DD)');
  });
});
