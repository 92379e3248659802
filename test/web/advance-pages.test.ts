// Advance notices and revisions on the pages: the Node.js December 2025 post served from 127.0.0.1
// as it was edited (announce → postponed → postponed again), one cycle per edit.
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { resolveConfig } from '../../src/config/load.js';
import { createMetrics } from '../../src/http/metrics.js';
import { buildServer } from '../../src/http/server.js';
import { runCycle } from '../../src/pipeline/index.js';
import { fixedClock } from '../../src/util/clock.js';
import { silentLogger } from '../../src/util/logger.js';
import { corpus, corpusPath } from '../helpers/corpus.js';
import { startServer, type TestServer } from '../helpers/http-server.js';
import { CookieJar, csrfField } from './cookie-jar.js';

const TOKEN = 'advance-pages-admin-token-93ab';
const EDITS = readdirSync(corpusPath('advance/nodejs')).filter((f) => f.startsWith('december-2025-') && !f.includes('final')).sort();
const NOTICE = 'nodejs:december-2025-security-releases';
let served = 0;
let blog: TestServer;
let app: App;
let server: FastifyInstance;
let jar: CookieJar;

beforeAll(async () => {
  blog = await startServer((_req, res) => res.writeHead(200, { 'content-type': 'text/markdown; charset=utf-8' }).end(corpus(`advance/nodejs/${EDITS[served]!}`)));
  const dir = mkdtempSync(join(tmpdir(), 'secwatch-web-advance-'));
  const config = resolveConfig(
    { dataDir: dir, store: { url: 'sqlite::memory:' }, sources: [{ id: 'nodejs', kind: 'advance', url: `${blog.url}/december-2025-security-releases.md` }], network: { allowPrivateHosts: ['127.0.0.1'] } },
    { baseDir: dir, env: { SECWATCH_ADMIN_TOKEN: TOKEN } },
  );
  app = await createApp(config, { clock: fixedClock('2025-12-20T09:00:00Z'), log: silentLogger });
  for (served = 0; served < EDITS.length; served++) await runCycle(app);
  server = buildServer({ ...app, metrics: createMetrics(app.store, app.sources) }).server;
  jar = new CookieJar();
  const login = await server.inject({ method: 'GET', url: '/ui/login' });
  jar.take(login.headers['set-cookie']);
  const res = await server.inject({ method: 'POST', url: '/ui/login', headers: { cookie: jar.header, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ csrf: csrfField(login.body), token: TOKEN }).toString() });
  jar.take(res.headers['set-cookie']);
}, 60_000);

afterAll(async () => {
  await server.close();
  await app.close();
  await blog.close();
});

describe('advance notices on the pages', () => {
  it('lists the announced release as upcoming with its (moved) date and highest severity', async () => {
    const stored = (await app.store.getAdvisory(NOTICE))!.advisory;
    const res = await server.inject({ method: 'GET', url: '/ui/advance-notices', headers: { cookie: jar.header } });
    expect(res.statusCode).toBe(200);
    const upcoming = /<h2 id="h-up">Upcoming<\/h2>([\s\S]*?)<\/section>/.exec(res.body)![1]!;
    expect(upcoming).toContain(`<strong>${stored.plannedRelease!.date}</strong>`);
    expect(upcoming).toContain(`sev-${stored.plannedRelease!.maxSeverity}`);
    expect(upcoming).toContain(`href="/ui/advisories/${encodeURIComponent(NOTICE)}"`);
  });

  it('shows each revision of the notice with what changed', async () => {
    const revisions = await app.store.listRevisions(NOTICE);
    expect(revisions.length).toBe(EDITS.length);
    const res = await server.inject({ method: 'GET', url: `/ui/advisories/${encodeURIComponent(NOTICE)}`, headers: { cookie: jar.header } });
    expect(res.statusCode).toBe(200);
    for (let i = 1; i < revisions.length; i++) {
      expect(res.body).toContain(`planned release date moved from ${revisions[i - 1]!.plannedRelease!.date} to ${revisions[i]!.plannedRelease!.date}`);
    }
    expect(res.body).toContain(`Revision ${revisions.length}</strong>`);
  });
});
