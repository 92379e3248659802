import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { loadConfigFile, resolveConfig } from '../../src/config/load.js';
import { runCycle, type CycleSummary } from '../../src/pipeline/index.js';
import { fixedClock } from '../../src/util/clock.js';
import { sourceKeyring, verifySettings } from '../../src/verify/index.js';
import { silentLogger } from '../../src/util/logger.js';
import { corpus, corpusPath } from '../helpers/corpus.js';
import { startServer, type TestServer } from '../helpers/http-server.js';
import { FORWARDED_DSA, OPENSSL_MAIL, TAMPERED_MAIL, mboxEntry } from '../helpers/mbox.js';

// mbox sources inside a real cycle (HTTP archive on 127.0.0.1, SQLite): verify stage on each
// message with the source's pinned keys, then parse, store; bad mails quarantined, broken ones named.

// Primary fingerprints of the two signers, as MANIFEST.md of the corpus states them.
const MRAZ = 'A21FAB74B0088AA361152586B8EF1A6BA9DA2D5C';
const JMM = 'B6E62F3D12AC38495C0DA90510C293B6C37C4E36';
const KEYS = [
  { fingerprint: MRAZ, file: corpusPath('keys/openssl/openssl-release-signing-keys.debian-openssl-1.1.1w.asc') },
  { fingerprint: JMM, file: corpusPath('keys/debian/jmm-B6E62F3D12AC38495C0DA90510C293B6C37C4E36.asc') },
];
const BROKEN = 'From: a@example.org\nSubject: broken\nMessage-ID: <broken@example.org>\nDate: Tue, 9 Apr 2024 10:00:00 +0000\nContent-Type: multipart/mixed\n\nno boundary\n';

let server: TestServer;
let app: App | undefined;
const archives: Record<string, Buffer> = {
  '/announce.mbox': Buffer.from(mboxEntry(corpus(OPENSSL_MAIL)) + mboxEntry(BROKEN) + mboxEntry(corpus(FORWARDED_DSA)), 'latin1'),
  '/forged.mbox': Buffer.from(mboxEntry(corpus(TAMPERED_MAIL)), 'latin1'),
};

beforeAll(async () => {
  server = await startServer((req, res) => {
    const body = archives[req.url ?? ''];
    if (!body) return void res.writeHead(404).end();
    const etag = `"${body.length}"`;
    if (req.headers['if-none-match'] === etag) return void res.writeHead(304, { etag }).end();
    res.writeHead(200, { etag, 'content-type': 'application/mbox' }).end(body);
  });
});
afterAll(async () => server.close());
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function start(
  sources: object[] = [
    { id: 'announce', kind: 'mbox', url: `${server.url}/announce.mbox`, verify: 'prefer', keys: KEYS, defaultSeverity: 'important' },
    { id: 'forged', kind: 'mbox', url: `${server.url}/forged.mbox`, verify: 'prefer', keys: KEYS },
  ],
): Promise<App> {
  const config = resolveConfig({
    dataDir: mkdtempSync(join(tmpdir(), 'secwatch-mbox-')),
    store: { url: 'sqlite::memory:' },
    sources,
    subscriptions: [],
    network: { allowPrivateHosts: ['127.0.0.1'] },
  });
  return createApp(config, { clock: fixedClock('2026-01-02T00:00:00Z'), log: silentLogger, random: () => 0.5 });
}

describe('mbox sources in a cycle', () => {
  it('stores the signed advisories with their signer, quarantines the forged mail, names the broken one; the second poll is a 304', async () => {
    app = await start();
    const summary: CycleSummary = await runCycle(app);
    const [announce, forged] = summary.sources;
    expect(announce).toMatchObject({ sourceId: 'announce', status: 'ok', documents: 3, advisories: { new: 2 } });
    expect(announce!.status === 'ok' && announce!.problems?.join(' ')).toMatch(/<broken@example\.org>.*without a boundary/);
    const openssl = await app.store.getAdvisory('openssl:CVE-2024-2511');
    expect(openssl?.advisory).toMatchObject({ severity: 'low', severitySource: 'vendor', signature: { status: 'verified', signer: MRAZ } });
    const dsa = await app.store.getAdvisory('debian:DSA-3775-1');
    // The inner Debian signature vouches for the DSA text, not the forwarder's (unknown) key.
    expect(dsa?.advisory).toMatchObject({ severity: 'important', severitySource: 'policy', signature: { status: 'verified', signer: JMM } });

    expect(forged).toMatchObject({ sourceId: 'forged', status: 'ok', quarantined: 1, advisories: { new: 0 } });
    const [q] = await app.store.listQuarantine();
    expect(q).toMatchObject({ sourceId: 'forged', status: 'bad' });

    const again = await runCycle(app);
    expect(again.sources.map((s) => s.status)).toEqual(['not-modified', 'not-modified']);
  });

  it('a forged mail carrying the genuine Message-ID that reaches the archive first does not hide the genuine one', async () => {
    // The tampered copy (one CVE digit changed, same Message-ID) is archived first; the genuine mail a poll later.
    expect(corpus(TAMPERED_MAIL).toString('latin1')).toContain(/^Message-ID: .*$/m.exec(corpus(OPENSSL_MAIL).toString('latin1'))![0]);
    archives['/forged-first.mbox'] = Buffer.from(mboxEntry(corpus(TAMPERED_MAIL)), 'latin1');
    app = await start([{ id: 'list', kind: 'mbox', url: `${server.url}/forged-first.mbox`, verify: 'prefer', keys: KEYS }]);
    const first = await runCycle(app);
    expect(first.sources[0]).toMatchObject({ status: 'ok', documents: 1, quarantined: 1, advisories: { new: 0 } });

    archives['/forged-first.mbox'] = Buffer.concat([archives['/forged-first.mbox'], Buffer.from(mboxEntry(corpus(OPENSSL_MAIL)), 'latin1')]);
    const second = await runCycle(app);
    expect(second.sources[0]).toMatchObject({ status: 'ok', documents: 1, advisories: { new: 1 } });
    const genuine = await app.store.getAdvisory('openssl:CVE-2024-2511');
    expect(genuine?.advisory).toMatchObject({ signature: { status: 'verified', signer: MRAZ } });
    expect(await app.store.getAdvisory('openssl:CVE-2024-2512')).toBeUndefined();
  });
});

describe('config/examples/mbox-lists.yaml', () => {
  it('loads, and each source\'s pinned key files hold exactly the pinned keys', async () => {
    const config = loadConfigFile('config/examples/mbox-lists.yaml', {});
    expect(config.sources.map((s) => s.kind)).toEqual(['mbox', 'mbox']);
    for (const source of config.sources) {
      const settings = verifySettings(source, 'config/examples');
      const keyring = await sourceKeyring(settings);
      expect(keyring.keys.map((k) => k.fingerprint)).toEqual(settings.pinned.map((p) => p.fingerprint));
    }
  });
});
