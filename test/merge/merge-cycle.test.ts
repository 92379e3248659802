import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { resolveConfig } from '../../src/config/load.js';
import { feedFromStore } from '../../src/feed/from-store.js';
import { createMetrics } from '../../src/http/metrics.js';
import { buildServer } from '../../src/http/server.js';
import type { LogicalItem } from '../../src/merge/index.js';
import { processSource, type SourceReport } from '../../src/pipeline/index.js';
import { fixedClock } from '../../src/util/clock.js';
import { silentLogger } from '../../src/util/logger.js';
import { corpus, corpusPath } from '../helpers/corpus.js';
import { startServer, type TestServer } from '../helpers/http-server.js';

// Merge through the real pipeline: CISA KEV (file:) and MSRC's January 2023 month (served from the
// corpus on 127.0.0.1) both report CVE-2023-21674. Each source's advisory is stored; a subscription
// is alerted once; the feed and the API show both sources.

const CVE = 'CVE-2023-21674';
const KEV_ID = `kev:${CVE}`;
const MSRC_ID = `msrc:${CVE}`;
const TOKEN = 'merge-test-token-0123456789abcdef';
const SUBS = ['ops', 'sec'];

// Expectations read from the documents themselves, not from the code under test.
const kevEntry = (JSON.parse(corpus('kev/known_exploited_vulnerabilities.2025-08-25.json').toString('utf8')) as {
  vulnerabilities: { cveID: string; dueDate: string; dateAdded: string }[];
}).vulnerabilities.find((v) => v.cveID === CVE)!;
const msrcXml = corpus('msrc/cvrf-2023-Jan.xml').toString('utf8');
const msrcVuln = msrcXml.split('<vuln:Vulnerability').find((v) => v.includes(`<vuln:CVE>${CVE}</vuln:CVE>`))!;
const msrcSeverities = [...msrcVuln.matchAll(/<vuln:Threat\s+Type="Severity"[^>]*>\s*<vuln:Description>([^<]+)</g)].map((m) => m[1]!.trim());

let server: TestServer;
const dirs: string[] = [];

beforeAll(async () => {
  server = await startServer((req, res) => {
    const index = JSON.parse(corpus('msrc/updates-index.2026-07-06.json').toString('utf8')) as { value: { ID: string }[] };
    if (req.url === '/updates') {
      const value = index.value.filter((e) => e.ID === '2023-Jan').map((e) => ({ ...e, CvrfUrl: `${server.url}/cvrf/2023-Jan` }));
      const body = JSON.stringify({ value });
      const etag = `"${createHash('sha256').update(body).digest('hex').slice(0, 16)}"`;
      return res.writeHead(200, { etag, 'content-type': 'application/json' }).end(body);
    }
    if (req.url === '/cvrf/2023-Jan') return res.writeHead(200, { 'content-type': 'application/xml' }).end(msrcXml);
    return res.writeHead(404).end();
  });
});

afterAll(async () => {
  await server.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function makeApp(): Promise<App> {
  const dir = mkdtempSync(join(tmpdir(), 'secwatch-merge-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'inventory.yaml'), 'items:\n  - { name: office desktops, vendor: Microsoft, product: Windows, instances: 400, collection: desktops }\n');
  const config = resolveConfig(
    {
      dataDir: dir,
      store: { url: 'sqlite::memory:' },
      sources: [
        { id: 'cisa-kev', kind: 'kev', url: pathToFileURL(corpusPath('kev/known_exploited_vulnerabilities.2025-08-25.json')).href },
        { id: 'msrc', kind: 'cvrf', url: `${server.url}/updates`, since: '2023-01' },
      ],
      inventory: { files: [join(dir, 'inventory.yaml')] },
      subscriptions: SUBS.map((id) => ({ id, channel: 'webhook', url: `http://127.0.0.1:9/${id}`, secretEnv: 'HOOK_SECRET', minSeverity: 'important' })),
      feed: { limit: 5000 },
    },
    { baseDir: dir, env: { HOOK_SECRET: 'whsec_' + Buffer.from('merge-test-secret-0123456789').toString('base64'), SECWATCH_ADMIN_TOKEN: TOKEN } },
  );
  return createApp(config, { clock: fixedClock('2026-07-07T09:00:00Z'), log: silentLogger, random: () => 0.5 });
}

async function poll(app: App, id: string): Promise<Extract<SourceReport, { status: 'ok' }>> {
  const report = await processSource(app, app.sources.find((s) => s.id === id)!);
  if (report.status !== 'ok') throw new Error(`${id}: ${JSON.stringify(report)}`);
  return report;
}

/** Deliveries recorded for the CVE, per subscription: advisory ids. */
async function alertsForCve(app: App): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const d of await app.store.listDeliveries({ advisoryIds: [KEV_ID, MSRC_ID] })) (out[d.subscriptionId] ??= []).push(d.advisoryId);
  for (const ids of Object.values(out)) ids.sort();
  return out;
}

describe('the same CVE from KEV and MSRC CVRF', () => {
  it('checks the corpus says what the test relies on', () => {
    expect(kevEntry.dueDate).toBe('2023-01-31');
    expect(msrcSeverities.length).toBeGreaterThan(0);
    expect(new Set(msrcSeverities)).toEqual(new Set(['Important']));
  });

  it('KEV first: one alert per subscription, the MSRC one merged, both advisories kept, provenance in feed and API', async () => {
    const app = await makeApp();
    try {
      const kev = await poll(app, 'cisa-kev');
      expect(kev.merged ?? []).toEqual([]);
      const msrc = await poll(app, 'msrc');

      expect(await alertsForCve(app)).toEqual(Object.fromEntries(SUBS.map((s) => [s, [KEV_ID]])));
      for (const sub of SUBS) expect(msrc.merged).toContain(`${sub}: ${MSRC_ID} merged with ${KEV_ID} (already alerted as ${sub}:${KEV_ID}:1)`);
      // Each source's advisory stays as that source said it.
      expect((await app.store.getAdvisory(KEV_ID))?.advisory).toMatchObject({ source: { kind: 'kev', id: 'cisa-kev' }, exploited: { kev: { dueDate: kevEntry.dueDate } } });
      expect((await app.store.getAdvisory(MSRC_ID))?.advisory).toMatchObject({ source: { kind: 'cvrf', id: 'msrc' }, severity: 'important', severitySource: 'vendor' });

      const feed = await feedFromStore(app.store, app.config, app.policy);
      const item = (id: string) => feed.items.find((i) => i.id === id)!._secwatch;
      expect(item(MSRC_ID).also_reported_by).toEqual([expect.objectContaining({ advisory_id: KEV_ID, source: { kind: 'kev', id: 'cisa-kev' }, severity: 'important' })]);
      expect(item(KEV_ID).also_reported_by).toEqual([expect.objectContaining({ advisory_id: MSRC_ID, source: { kind: 'cvrf', id: 'msrc' }, severity_source: 'vendor' })]);
      // An advisory whose CVE no other source reports carries no provenance list.
      const lonely = feed.items.find((i) => i.id.startsWith('kev:') && i._secwatch.cves.length === 1 && !msrcXml.includes(`>${i._secwatch.cves[0]}<`));
      expect(lonely?._secwatch.also_reported_by).toBeUndefined();

      const { server: http } = buildServer({ ...app, metrics: createMetrics(app.store, app.sources) });
      try {
        const res = await http.inject({ url: `/advisories/${encodeURIComponent(MSRC_ID)}`, headers: { authorization: `Bearer ${TOKEN}` } });
        expect(res.statusCode).toBe(200);
        const { item: logical } = res.json<{ item: LogicalItem }>();
        expect(logical.key).toBe(CVE);
        expect(logical.provenance.map((p) => [p.advisoryId, p.source.kind, p.severity, p.signature.status]).sort()).toEqual([
          [KEV_ID, 'kev', 'important', 'not-checked'],
          [MSRC_ID, 'cvrf', 'important', 'not-checked'],
        ]);
        expect(logical.exploited.kev?.dueDate).toBe(kevEntry.dueDate);
        expect(logical.severity).toBe('important');
      } finally {
        await http.close();
      }
    } finally {
      await app.close();
    }
  });

  it('MSRC first: the KEV listing still alerts, because it brings an earlier apply-by date (its due date)', async () => {
    const app = await makeApp();
    try {
      await poll(app, 'msrc');
      const kev = await poll(app, 'cisa-kev');
      expect(await alertsForCve(app)).toEqual(Object.fromEntries(SUBS.map((s) => [s, [KEV_ID, MSRC_ID]])));
      expect((kev.merged ?? []).filter((m) => m.includes(CVE))).toEqual([]);
      const kevAlert = (await app.store.listDeliveries({ advisoryIds: [KEV_ID], subscriptionId: 'ops' }))[0]?.payload as { applyBy: string };
      const msrcAlert = (await app.store.listDeliveries({ advisoryIds: [MSRC_ID], subscriptionId: 'ops' }))[0]?.payload as { applyBy: string };
      expect(kevAlert.applyBy).toBe(kevEntry.dueDate);
      expect(msrcAlert.applyBy > kevAlert.applyBy).toBe(true);
    } finally {
      await app.close();
    }
  });
});
