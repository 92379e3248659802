import { createHmac } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { resolveConfig } from '../../src/config/load.js';
import { runCycle, type CycleSummary, type SourceReport } from '../../src/pipeline/index.js';
import { fixedClock } from '../../src/util/clock.js';
import { silentLogger } from '../../src/util/logger.js';
import { corpus, corpusPath } from '../helpers/corpus.js';
import { startServer, type TestServer } from '../helpers/http-server.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.js';

// The walking skeleton end to end, on real parts only: the KEV catalog served over HTTP with
// ETags, the Debian RDF feed and the malformed CISA feed from file://, SQLite, a webhook receiver
// and an SMTP server on 127.0.0.1.

const SECRET = 'whsec_' + Buffer.from('secwatch-test-secret-0123456789').toString('base64');
const KEV_OLD = 'kev/known_exploited_vulnerabilities.2025-08-21.json';
const KEV_NEW = 'kev/known_exploited_vulnerabilities.2025-08-25.json';

let kevServer: TestServer;
let hookServer: TestServer;
let smtp: SmtpSink;
let app: App;
let kevBody = corpus(KEV_OLD);
let kevEtag = '"2025-08-21"';

const report = (s: CycleSummary, id: string): SourceReport | undefined => s.sources.find((r) => r.sourceId === id);

beforeAll(async () => {
  kevServer = await startServer((req, res) => {
    if (req.headers['if-none-match'] === kevEtag) return res.writeHead(304).end();
    res.writeHead(200, { etag: kevEtag, 'content-type': 'application/json' }).end(kevBody);
  });
  hookServer = await startServer((_req, res) => res.writeHead(204).end());
  smtp = await startSmtpSink();
  const dir = mkdtempSync(join(tmpdir(), 'secwatch-cycle-'));
  writeFileSync(
    join(dir, 'inventory.yaml'),
    [
      'items:',
      '  - { name: git build agents, vendor: Git, product: Git, version: 2.49.0, instances: 12, collection: ci }',
      '  - { name: session recording, vendor: Citrix, product: Session Recording, instances: 2, collection: dc, testsFirst: true }',
      '  - { name: debian chromium, vendor: Debian, product: chromium, instances: 100, collection: desktops }',
    ].join('\n'),
  );
  const config = resolveConfig(
    {
      dataDir: dir,
      sources: [
        { id: 'cisa-kev', kind: 'kev', url: `${kevServer.url}/kev.json` },
        { id: 'debian', kind: 'rss', url: pathToFileURL(corpusPath('vendor-rss/debian/dsa-long.3-item-excerpt.rdf')).href, vendor: 'Debian', defaultSeverity: 'important' },
        { id: 'cisa-broken', kind: 'kev', url: pathToFileURL(corpusPath('cisa-rss/cisa-csaf-it-feed-tlp-white.2024-09-10.MALFORMED-as-published.json')).href },
        { id: 'gone', kind: 'rss', url: pathToFileURL(join(dir, 'no-such-feed.xml')).href },
      ],
      inventory: { files: [join(dir, 'inventory.yaml')] },
      subscriptions: [
        { id: 'siem', channel: 'webhook', url: `${hookServer.url}/hook`, secretEnv: 'HOOK_SECRET', minSeverity: 'important', matchedOnly: true },
        { id: 'ops', channel: 'email', to: ['ops@example.org'], minSeverity: 'moderate', matchedOnly: true },
      ],
      email: { from: 'secwatch <secwatch@example.org>', transport: 'smtp' },
      network: { allowPrivateHosts: ['127.0.0.1'] },
    },
    { baseDir: dir, env: { HOOK_SECRET: SECRET, SECWATCH_SMTP_URL: smtp.url } },
  );
  app = await createApp(config, { clock: fixedClock('2025-08-26T09:00:00Z'), log: silentLogger, random: () => 0.5 });
});

afterAll(async () => {
  await app.close();
  await Promise.all([kevServer.close(), hookServer.close(), smtp.close()]);
});

describe('one cycle, then the next', () => {
  let first: CycleSummary;

  it('rates and stores both good sources and reports the bad ones by name and cause', async () => {
    first = await runCycle(app);
    const oldCount = (JSON.parse(corpus(KEV_OLD).toString()) as { count: number }).count;
    expect(report(first, 'cisa-kev')).toMatchObject({ status: 'ok', advisories: { new: oldCount, revised: 0 } });
    expect(report(first, 'debian')).toMatchObject({ status: 'ok', advisories: { new: 3 } });
    const broken = report(first, 'cisa-broken');
    expect(broken).toMatchObject({ status: 'error', code: 'PARSE_INVALID' });
    expect(broken?.status === 'error' && broken.error).toMatch(/^cisa-broken: .*line 48 column 5/);
    const gone = report(first, 'gone');
    expect(gone).toMatchObject({ status: 'error', code: 'FETCH_NOT_FOUND' });
    expect(gone?.status === 'error' && gone.error).toContain('no-such-feed.xml');
    expect((await app.store.getSourceState('cisa-broken'))?.lastError).toMatch(/line 48 column 5/);
  });

  it('alerts on the Debian chromium advisories through both channels', () => {
    // Two DSAs name chromium; the unbound one hits nothing in this inventory.
    expect(first.deliveries).toMatchObject({ planned: 4, sent: 4, retry: 0, failed: 0 });
    expect(hookServer.requests).toHaveLength(2);
    expect(smtp.messages).toHaveLength(2);
  });

  it('sends nothing and re-parses nothing on an unchanged second cycle (304)', async () => {
    const second = await runCycle(app);
    expect(report(second, 'cisa-kev')).toEqual({ sourceId: 'cisa-kev', status: 'not-modified' });
    expect(report(second, 'debian')).toEqual({ sourceId: 'debian', status: 'not-modified' });
    expect(kevServer.requests.at(-1)?.headers['if-none-match']).toBe('"2025-08-21"');
    expect(second.deliveries).toEqual({ planned: 0, sent: 0, retry: 0, failed: 0 });
    expect(hookServer.requests).toHaveLength(2);
  });

  it('finds exactly the new KEV entries in the next catalog and alerts the matched ones', async () => {
    kevBody = corpus(KEV_NEW);
    kevEtag = '"2025-08-25"';
    const third = await runCycle(app);
    const oldIds = new Set((JSON.parse(corpus(KEV_OLD).toString()) as { vulnerabilities: { cveID: string }[] }).vulnerabilities.map((v) => v.cveID));
    const expectedNew = (JSON.parse(kevBody.toString()) as { vulnerabilities: { cveID: string }[] }).vulnerabilities.filter((v) => !oldIds.has(v.cveID));
    expect(report(third, 'cisa-kev')).toMatchObject({ status: 'ok', advisories: { new: expectedNew.length, revised: 0, unchanged: oldIds.size } });
    // git (1) and Citrix Session Recording (2) are in the inventory: 3 alerts per channel.
    expect(third.deliveries).toMatchObject({ planned: 6, sent: 6, failed: 0 });

    const hooks = hookServer.requests.slice(2);
    expect(hooks).toHaveLength(3);
    for (const req of hooks) {
      const id = String(req.headers['webhook-id']);
      const ts = String(req.headers['webhook-timestamp']);
      const key = Buffer.from(SECRET.slice('whsec_'.length), 'base64');
      const expected = createHmac('sha256', key).update(`${id}.${ts}.${req.body}`).digest('base64');
      expect(String(req.headers['webhook-signature']).split(' ')).toContain(`v1,${expected}`);
      const wrong = createHmac('sha256', Buffer.from('not-the-secret')).update(`${id}.${ts}.${req.body}`).digest('base64');
      expect(String(req.headers['webhook-signature'])).not.toContain(wrong);
    }
    const cves = hooks.map((r) => (JSON.parse(r.body) as { data: { cves: string[] } }).data.cves[0]).sort();
    expect(cves).toEqual(expectedNew.map((v) => v.cveID).sort());

    const gitAlert = hooks.map((r) => JSON.parse(r.body) as { data: { cves: string[]; applyBy: string; applyByRule: string } }).find((d) => d.data.cves.includes('CVE-2025-48384'));
    // KEV dueDate (2025-09-15) is earlier than msrc-classic important (1 month from 2025-08-25).
    expect(gitAlert?.data).toMatchObject({ applyBy: '2025-09-15', applyByRule: expect.stringMatching(/^kev dueDate/) as unknown });

    const mails = smtp.messages.slice(2);
    expect(mails).toHaveLength(3);
    expect(mails.every((m) => m.to.includes('ops@example.org'))).toBe(true);
    expect(mails.map((m) => m.raw).join('\n')).toContain('2025-09-15');
  });

  it('never re-sends on a further cycle', async () => {
    const fourth = await runCycle(app);
    expect(fourth.deliveries).toEqual({ planned: 0, sent: 0, retry: 0, failed: 0 });
    expect(hookServer.requests).toHaveLength(5);
    expect(smtp.messages).toHaveLength(5);
    const sent = await app.store.listDeliveries({ status: 'sent' });
    expect(new Set(sent.map((d) => d.key)).size).toBe(10);
  });
});
