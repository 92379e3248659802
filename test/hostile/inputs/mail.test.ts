// Hostile mailing-list archives through the mbox source and the cycle: a gzip bomb, a damaged gzip
// header, enormous lines, signatures whose armour is garbage (cleartext and PGP/MIME).
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpus, corpusPath } from '../../helpers/corpus.js';
import { startServer, type TestServer } from '../../helpers/http-server.js';
import { expectRefused, hostileCycle, type HostileRun } from './hostile-cycle.js';

const MRAZ = 'A21FAB74B0088AA361152586B8EF1A6BA9DA2D5C';
const JMM = 'B6E62F3D12AC38495C0DA90510C293B6C37C4E36';
const KEYS = [
  { fingerprint: MRAZ, file: corpusPath('keys/openssl/openssl-release-signing-keys.debian-openssl-1.1.1w.asc') },
  { fingerprint: JMM, file: corpusPath('keys/debian/jmm-B6E62F3D12AC38495C0DA90510C293B6C37C4E36.asc') },
];
const OPENSSL = corpus('mail/oss-security/2024-04-08-openssl-security-advisory.eml').toString('latin1');
const DSA = corpus('mail/oss-security/2017-01-30-fw-dsa-3775-1-tcpdump.eml').toString('latin1');
const archive = (...mails: string[]): string => mails.map((m) => `From x@example.org Mon Apr  8 13:59:33 2024\n${m}\n`).join('\n');
/** Every line of every "BEGIN PGP SIGNATURE" block replaced by noise that is not radix-64. */
const garbageArmour = (mail: string): string =>
  mail.replace(/(-----BEGIN PGP SIGNATURE-----\r?\n)[\s\S]*?(-----END PGP SIGNATURE-----)/g, (_m, begin: string, end: string) => `${begin}\n%%%% not armour ${'\u00ff'.repeat(40)} ****\n=AAAA\n${end}`);

const bodies = new Map<string, Buffer>();
let server: TestServer;
const runs: HostileRun[] = [];

beforeAll(async () => {
  server = await startServer((req, res) => {
    const body = bodies.get(req.url ?? '');
    if (!body) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': req.url?.endsWith('.gz') ? 'application/gzip' : 'application/mbox' }).end(body);
  });
});
afterAll(async () => {
  for (const r of runs) await r.app.close();
  await server.close();
});

async function cycle(path: string, body: Buffer, extra: Record<string, unknown> = {}): Promise<HostileRun> {
  bodies.set(path, body);
  const run = await hostileCycle([{ id: 'list', kind: 'mbox', url: `${server.url}${path}`, keys: KEYS, ...extra }], { network: { allowPrivateHosts: ['127.0.0.1'] } });
  runs.push(run);
  return run;
}

describe('compressed archives', () => {
  it('a gzip bomb (.gz unpacking far past maxBytes) is refused by name, without unpacking it whole', async () => {
    const bomb = gzipSync(Buffer.concat([Buffer.from(archive(OPENSSL)), Buffer.alloc(64 * 1024 * 1024, 0x61)]));
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const run = await cycle('/bomb.mbox.gz', bomb, { maxBytes: '1MB' });
    expectRefused(run.report('list'), 'PARSE_INVALID', /gzip stream unpacks to more than 1048576 bytes \(the maxBytes limit\)/);
  });

  it('a gzip header followed by garbage is a PARSE_INVALID naming the cause (it was an untyped zlib error)', async () => {
    const run = await cycle('/damaged.mbox.gz', Buffer.concat([Buffer.from([0x1f, 0x8b, 0x63]), Buffer.from('not deflate at all')]));
    expectRefused(run.report('list'), 'PARSE_INVALID', /not a readable gzip stream \(unknown compression method\)/);
  });
});

describe('enormous lines', () => {
  it('an 8 MB header line and an 8 MB body line in one message: that message is named, the signed advisory next to it is stored', async () => {
    const huge = `From: a@example.org\nSubject: ${'S'.repeat(8 * 1024 * 1024)}\nMessage-ID: <huge@example.org>\n\n${'B'.repeat(8 * 1024 * 1024)}\n`;
    const run = await cycle('/huge.mbox', Buffer.from(archive(OPENSSL, huge), 'latin1'), { maxBytes: '64MB' });
    const report = run.report('list');
    expect(report).toMatchObject({ status: 'ok', documents: 2, advisories: { new: 1 } });
    expect(report.status === 'ok' && report.problems).toEqual([expect.stringMatching(/^list: .*huge\.mbox#message-2: .*unreadable mail: Max header size for a MIME node exceeded$/)]);
    const stored = await run.app.store.getAdvisory('openssl:CVE-2024-2511');
    expect(stored?.advisory.signature).toMatchObject({ status: 'verified', signer: MRAZ });
  });
});

describe('signatures with garbage armour', () => {
  // README "Verification and CSAF": a signature that does not verify is `bad`, quarantined under
  // both require and prefer (prefer only lets unsigned and unknown-key mail through).
  it.each(['prefer', 'require'])('verify: %s — the cleartext and the PGP/MIME mail are quarantined as bad, never stored as advisories', async (verify) => {
    const run = await cycle(`/garbage-${verify}.mbox`, Buffer.from(archive(garbageArmour(OPENSSL), garbageArmour(DSA)), 'latin1'), { verify });
    expect(run.report('list')).toMatchObject({ status: 'ok', documents: 2, quarantined: 2, advisories: { new: 0 } });
    const quarantined = await run.app.store.listQuarantine({ sourceId: 'list' });
    expect(quarantined.map((q) => q.status)).toEqual(['bad', 'bad']);
    expect(await run.app.store.listAdvisories({ sourceId: 'list' })).toEqual([]);
  });
});
