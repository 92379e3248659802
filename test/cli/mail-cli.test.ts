import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { corpus, corpusPath } from '../helpers/corpus.js';
import { FORWARDED_DSA, OPENSSL_MAIL, TAMPERED_MAIL, mboxEntry } from '../helpers/mbox.js';

// `secwatch verify FILE.eml` and `secwatch parse --format mbox` through the real binary (dist/).

const run = promisify(execFile);
const BIN = resolve('bin/secwatch.js');
const KEYS = [corpusPath('keys/openssl'), corpusPath('keys/debian')];
const UNRELATED = corpusPath('csaf/gocsaf-simple-rolie-provider/openpgp/pubkey.asc');

async function secwatch(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args]);
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
const lines = (s: string): Record<string, unknown>[] => s.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);

beforeAll(() => {
  if (!existsSync('dist/cli/main.js')) throw new Error('dist/ is missing: run `npm run build` (npm test does it first)');
});

describe('secwatch verify FILE.eml', () => {
  it('exit 0 with the signer (fingerprint and user ID) for the OpenSSL mail; 3 for its tampered copy; 4 with an unrelated key', async () => {
    const good = await secwatch(['verify', corpusPath(OPENSSL_MAIL), '--keys', ...KEYS]);
    expect(good.code).toBe(0);
    expect(lines(good.stdout)[0]).toMatchObject({ status: 'verified', method: 'cleartext', signer: expect.stringMatching(/^[0-9A-F]{40}$/) as unknown, signerUserId: expect.stringMatching(/Mr[aá]z/) as unknown });
    const bad = await secwatch(['verify', corpusPath(TAMPERED_MAIL), '--keys', ...KEYS]);
    expect([bad.code, lines(bad.stdout)[0]?.status]).toEqual([3, 'bad']);
    const unknown = await secwatch(['verify', corpusPath(OPENSSL_MAIL), '--keys', UNRELATED]);
    expect([unknown.code, lines(unknown.stdout)[0]?.status]).toEqual([4, 'unknown-key']);
  });

  it('the forwarded DSA: the inner clearsigned signature vouches, the outer PGP/MIME one is listed', async () => {
    const out = await secwatch(['verify', corpusPath(FORWARDED_DSA), '--keys', ...KEYS]);
    const line = lines(out.stdout)[0]!;
    expect(out.code).toBe(0);
    expect(line).toMatchObject({ status: 'verified', vouching: { method: 'cleartext', part: 'part 1' }, signerUserId: expect.stringMatching(/jmm@debian\.org/) as unknown });
    expect(line.signatures).toContainEqual(expect.objectContaining({ method: 'pgp-mime', status: 'unknown-key' }));
  });

  it('exit 5 for a mail without a signature', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'secwatch-eml-'));
    const file = join(dir, 'plain.eml');
    writeFileSync(file, 'From: a@example.org\nSubject: hi\nMessage-ID: <p@x>\n\nhello\n');
    const out = await secwatch(['verify', file]);
    expect([out.code, lines(out.stdout)[0]]).toEqual([5, { status: 'unsigned', signatures: [] }]);
  });
});

describe('secwatch parse --format mbox', () => {
  it('one advisory per advisory mail with its own signature status; a broken message named on stderr, the rest printed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'secwatch-mbox-cli-'));
    const file = join(dir, 'list.mbox');
    const broken = 'From: a@example.org\nSubject: broken\nMessage-ID: <broken@example.org>\nContent-Type: multipart/mixed\n\nx\n';
    writeFileSync(file, Buffer.from(mboxEntry(corpus(OPENSSL_MAIL)) + mboxEntry(broken) + mboxEntry(corpus(TAMPERED_MAIL)) + mboxEntry(corpus(FORWARDED_DSA)), 'latin1'));
    const out = await secwatch(['parse', file, '--format', 'mbox', '--keys', ...KEYS]);
    expect(out.code).toBe(0);
    const got = lines(out.stdout).map((a) => [a.id, (a.signature as { status: string }).status]);
    // The tampered copy names CVE-2024-2512 (the changed byte) and does not verify.
    expect(got).toEqual([
      ['openssl:CVE-2024-2511', 'verified'],
      ['openssl:CVE-2024-2512', 'bad'],
      ['debian:DSA-3775-1', 'verified'],
    ]);
    expect(out.stderr).toMatch(/list\.mbox message 2 .*<broken@example\.org>.*broken MIME structure/);
    const unchecked = await secwatch(['parse', file]);
    expect(lines(unchecked.stdout).map((a) => (a.signature as { status: string }).status)).toEqual(['not-checked', 'not-checked', 'not-checked']);
  });
});
