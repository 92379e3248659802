import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { resolveConfig } from '../../src/config/load.js';
import { runCycle, type SourceReport } from '../../src/pipeline/index.js';
import { fixedClock } from '../../src/util/clock.js';
import { silentLogger } from '../../src/util/logger.js';
import { corpus, corpusPath } from '../helpers/corpus.js';
import { startServer, type TestServer } from '../helpers/http-server.js';
import { CISA_FINGERPRINT, GOCSAF_FINGERPRINT, startCsafProvider, type CsafProvider } from '../sources/csaf-provider.js';

// The verify stage inside a real cycle: CSAF provider and webhook receiver on 127.0.0.1, SQLite.

const SECRET = 'whsec_' + Buffer.from('secwatch-csaf-test-secret-012345').toString('base64');
const DOC = '/gocsaf/white/avendor-advisory-0004.json';
let provider: CsafProvider;
let hooks: TestServer;
let app: App | undefined;

beforeAll(async () => {
  provider = await startCsafProvider();
  hooks = await startServer((_req, res) => res.writeHead(204).end());
});
afterAll(async () => Promise.all([provider.close(), hooks.close()]));
afterEach(async () => {
  await app?.close();
  app = undefined;
  provider.set(DOC, undefined);
  hooks.requests.length = 0;
});

async function cycle(source: Record<string, unknown>): Promise<SourceReport> {
  const config = resolveConfig(
    {
      dataDir: mkdtempSync(join(tmpdir(), 'secwatch-csaf-')),
      store: { url: 'sqlite::memory:' },
      sources: [source],
      subscriptions: [{ id: 'all', channel: 'webhook', url: `${hooks.url}/hook`, secretEnv: 'HOOK', minSeverity: 'none', matchedOnly: false }],
      network: { allowPrivateHosts: ['127.0.0.1'] },
    },
    { env: { HOOK: SECRET } },
  );
  app = await createApp(config, { clock: fixedClock('2026-01-02T00:00:00Z'), log: silentLogger, random: () => 0.5 });
  const summary = await runCycle(app);
  return summary.sources[0]!;
}
/** What each webhook received: the advisory id and its signature field. */
const alerted = () =>
  hooks.requests.map((r) => (JSON.parse(r.body) as { data: { advisory: { id: string; signature: { status: string; signer?: string } } } }).data.advisory);

describe('verify: require', () => {
  const acme = { id: 'acme', kind: 'csaf', url: '', verify: 'require' };

  it('stores and alerts the gocsaf document, signature verified by the provider key', async () => {
    const report = await cycle({ ...acme, url: `${provider.url}/gocsaf/provider-metadata.json` });
    expect(report).toMatchObject({ status: 'ok', documents: 1, advisories: { new: 1 }, alerts: 1 });
    const stored = await app!.store.getAdvisory('csaf:example:avendor-advisory-0004');
    expect(stored?.advisory.signature).toEqual({ status: 'verified', signer: GOCSAF_FINGERPRINT });
    expect(alerted()).toMatchObject([{ id: 'csaf:example:avendor-advisory-0004', signature: { status: 'verified' } }]);
    expect(await app!.store.listQuarantine()).toEqual([]);
  });

  it('quarantines the tampered document: no advisory, no alert, listed with its failed checks', async () => {
    provider.set(DOC, corpus('csaf/tampered/avendor-advisory-0004.tampered.json'));
    const report = await cycle({ ...acme, url: `${provider.url}/gocsaf/provider-metadata.json` });
    expect(report).toMatchObject({ status: 'ok', documents: 1, quarantined: 1, advisories: { new: 0 }, alerts: 0 });
    expect(await app!.store.listAdvisories()).toEqual([]);
    expect(hooks.requests).toHaveLength(0);
    const [q] = await app!.store.listQuarantine();
    expect(q).toMatchObject({ sourceId: 'acme', url: `${provider.url}${DOC}`, status: 'bad', reason: 'verify: require, got bad: sha256 and sha512 mismatch; Signed digest did not match' });
    expect((q!.checks as { hashes: { status: string }[] }).hashes.map((h) => h.status)).toEqual(['mismatch', 'mismatch']);
    // The bytes are kept, addressed by their hash.
    expect(Buffer.from((await app!.store.getDocument(q!.sha256))!.body).equals(corpus('csaf/tampered/avendor-advisory-0004.tampered.json'))).toBe(true);
  });

  it('quarantines CISA documents (unknown-key) and alerts none', async () => {
    const report = await cycle({ id: 'cisa-it', kind: 'csaf', url: `${provider.url}/cisa/provider-metadata.json`, verify: 'require' });
    expect(report).toMatchObject({ status: 'ok', quarantined: 3, alerts: 0 });
    expect((await app!.store.listQuarantine()).map((q) => [q.status, q.reason])).toEqual(
      Array(3).fill(['unknown-key', `verify: require, got unknown-key: signed by ${CISA_FINGERPRINT}, not a pinned key`]),
    );
  });

  it('refuses a configured key file that is not the pinned key: the source fails naming the file', async () => {
    const file = corpusPath('csaf/gocsaf-simple-rolie-provider/openpgp/pubkey.asc');
    const report = await cycle({ ...acme, url: `${provider.url}/gocsaf/provider-metadata.json`, keys: [{ fingerprint: CISA_FINGERPRINT, file }] });
    expect(report).toMatchObject({ status: 'error', code: 'CONFIG_INVALID' });
    expect(report.status === 'error' && report.error).toBe(`acme: ${file}: primary key fingerprint ${GOCSAF_FINGERPRINT} is not the pinned ${CISA_FINGERPRINT}; key refused`);
    expect(hooks.requests).toHaveLength(0);
  });

  it('verifies with a pinned key file from the config when the metadata announces no key', async () => {
    const meta = JSON.parse(corpus('csaf/gocsaf-simple-rolie-provider/provider-metadata.json').toString('utf8')) as Record<string, unknown>;
    provider.set('/gocsaf/provider-metadata.json', JSON.stringify({ ...meta, public_openpgp_keys: [] }));
    try {
      const file = corpusPath('csaf/gocsaf-simple-rolie-provider/openpgp/pubkey.asc');
      const report = await cycle({ ...acme, url: `${provider.url}/gocsaf/provider-metadata.json`, keys: [{ fingerprint: GOCSAF_FINGERPRINT, file }] });
      expect(report).toMatchObject({ status: 'ok', alerts: 1 });
      expect(alerted()[0]?.signature).toEqual({ status: 'verified', signer: GOCSAF_FINGERPRINT });
    } finally {
      provider.set('/gocsaf/provider-metadata.json', undefined);
    }
  });
});

describe('verify: prefer (the default)', () => {
  it('alerts an unsigned document, marked unsigned', async () => {
    provider.set('/rh/provider-metadata.json', JSON.stringify({ distributions: [{ directory_url: `${provider.url}/rh/` }], publisher: { name: 'Red Hat', namespace: 'https://www.redhat.com' } }));
    provider.set('/rh/index.txt', 'rhsa-2024_4546.json\n');
    provider.set('/rh/rhsa-2024_4546.json', corpus('csaf/redhat/rhsa-2024_4546.json'));
    const report = await cycle({ id: 'redhat', kind: 'csaf', url: `${provider.url}/rh/provider-metadata.json` });
    expect(report).toMatchObject({ status: 'ok', documents: 1, advisories: { new: 1 }, alerts: 1 });
    expect(alerted()).toMatchObject([{ id: 'csaf:redhat:rhsa-2024:4546', signature: { status: 'unsigned' } }]);
  });

  it('alerts CISA documents marked unknown-key, quarantines the one whose sha512 no longer matches, names the 404 entry', async () => {
    provider.set('/cisa/csaf_files/IT/white/2024/va-24-254-01.json', corpus('csaf/tampered/va-24-254-01.tampered.json'));
    try {
      const report = await cycle({ id: 'cisa-it', kind: 'csaf', url: `${provider.url}/cisa/provider-metadata.json` });
      expect(report).toMatchObject({ status: 'ok', documents: 3, quarantined: 1, advisories: { new: 2 }, alerts: 2 });
      expect(report.status === 'ok' && report.problems).toContainEqual(expect.stringMatching(/^cisa-it: .*va-24-262-01\.json: .*HTTP 404/));
      expect(alerted().map((a) => [a.id, a.signature]).sort()).toEqual([
        ['csaf:cisa:va-24-201-01', { status: 'unknown-key', signer: CISA_FINGERPRINT }],
        ['csaf:cisa:va-24-254-02', { status: 'unknown-key', signer: CISA_FINGERPRINT }],
      ]);
      expect((await app!.store.listQuarantine()).map((q) => [q.status, q.reason])).toEqual([['bad', 'verify: prefer, got bad: sha512 mismatch']]);
      expect((await app!.store.getSourceState('cisa-it'))?.lastError).toMatch(/va-24-262-01\.json: .*HTTP 404/);
    } finally {
      provider.set('/cisa/csaf_files/IT/white/2024/va-24-254-01.json', undefined);
    }
  });

  it('reports a CSAF without tracking by source and document while the others are stored and alerted', async () => {
    const raw = JSON.parse(corpus('csaf/cisa/IT/white/2024/va-24-254-02.json').toString('utf8')) as { document: Record<string, unknown> };
    delete raw.document.tracking;
    provider.set('/cisa/csaf_files/IT/white/2024/va-24-254-02.json', JSON.stringify(raw));
    try {
      const report = await cycle({ id: 'cisa-it', kind: 'csaf', url: `${provider.url}/cisa/provider-metadata.json`, verify: 'off' });
      expect(report).toMatchObject({ status: 'ok', documents: 3, advisories: { new: 2 }, alerts: 2 });
      expect(report.status === 'ok' && report.problems).toContain(
        `cisa-it: ${provider.url}/cisa/csaf_files/IT/white/2024/va-24-254-02.json: not a CSAF document: document.tracking: Invalid input: expected object, received undefined`,
      );
      expect(alerted().every((a) => a.signature.status === 'not-checked')).toBe(true);
    } finally {
      provider.set('/cisa/csaf_files/IT/white/2024/va-24-254-02.json', undefined);
    }
  });
});

describe('a provider polled cycle after cycle (cursor kept in the store)', () => {
  it('fetches nothing new the second time; a changed document is picked up once and re-alerted as revised', async () => {
    const doc = '/rh2/rhsa-2024_4546.json';
    const original = corpus('csaf/redhat/rhsa-2024_4546.json');
    provider.set('/rh2/provider-metadata.json', JSON.stringify({ distributions: [{ directory_url: `${provider.url}/rh2/` }], publisher: { name: 'Red Hat', namespace: 'https://www.redhat.com' } }));
    provider.set('/rh2/changes.csv', '"rhsa-2024_4546.json","2024-07-16T13:38:03+00:00"\n');
    provider.set(doc, original);
    const config = resolveConfig(
      {
        dataDir: mkdtempSync(join(tmpdir(), 'secwatch-csaf-')),
        store: { url: 'sqlite::memory:' },
        sources: [{ id: 'redhat', kind: 'csaf', url: `${provider.url}/rh2/provider-metadata.json` }],
        subscriptions: [{ id: 'all', channel: 'webhook', url: `${hooks.url}/hook`, secretEnv: 'HOOK', minSeverity: 'none', matchedOnly: false }],
        network: { allowPrivateHosts: ['127.0.0.1'] },
      },
      { env: { HOOK: SECRET } },
    );
    app = await createApp(config, { clock: fixedClock('2026-01-02T00:00:00Z'), log: silentLogger, random: () => 0.5 });
    const docGets = () => provider.gets().filter((p) => p === doc).length;

    expect((await runCycle(app)).sources[0]).toMatchObject({ status: 'ok', documents: 1, advisories: { new: 1 }, alerts: 1 });
    expect(docGets()).toBe(1);
    expect((await runCycle(app)).sources[0]).toMatchObject({ status: 'ok', documents: 0, alerts: 0 });
    expect(docGets()).toBe(1);

    // Red Hat re-rates the advisory: new bytes, a new date in changes.csv.
    const changed = JSON.parse(original.toString('utf8')) as { document: { aggregate_severity: { text: string }; tracking: { version: string; current_release_date: string } } };
    changed.document.aggregate_severity.text = 'Critical';
    changed.document.tracking.version = '4';
    changed.document.tracking.current_release_date = '2024-08-01T10:00:00+00:00';
    provider.set(doc, JSON.stringify(changed));
    provider.set('/rh2/changes.csv', '"rhsa-2024_4546.json","2024-08-01T10:00:00+00:00"\n');
    expect((await runCycle(app)).sources[0]).toMatchObject({ status: 'ok', documents: 1, advisories: { revised: 1 }, alerts: 1 });
    expect((await runCycle(app)).sources[0]).toMatchObject({ status: 'ok', documents: 0, alerts: 0 });
    expect(docGets()).toBe(2);
    const stored = await app.store.getAdvisory('csaf:redhat:rhsa-2024:4546');
    expect(stored?.advisory).toMatchObject({ revision: 2, severity: 'critical', vendorRevision: '4', signature: { status: 'unsigned' } });
    expect(alerted().map((a) => (a as unknown as { severity: string }).severity)).toEqual(['important', 'critical']);
  });
});
