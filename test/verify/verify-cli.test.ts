import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { corpusPath } from '../helpers/corpus.js';

// `secwatch verify`, `parse --keys` and `quarantine` through the real binary (dist/, built by `npm test`).

const run = promisify(execFile);
const BIN = resolve('bin/secwatch.js');
const GOCSAF_FPR = 'A8914CA2F11139C6A69A0018FB3CD9B15DE61596';
const KEY = corpusPath('csaf/gocsaf-simple-rolie-provider/openpgp/pubkey.asc');
const DOC = corpusPath('csaf/gocsaf-simple-rolie-provider/white/avendor-advisory-0004.json');

async function secwatch(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args]);
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
const json = (s: string): unknown => JSON.parse(s.trim());

beforeAll(() => {
  if (!existsSync('dist/cli/main.js')) throw new Error('dist/ is missing: run `npm run build` (npm test does it first)');
});

describe('secwatch verify', () => {
  it('exit 0 and the signer for the gocsaf document (its .asc found beside it), hashes matching', async () => {
    const out = await secwatch(['verify', DOC, '--keys', KEY, '--hashes']);
    expect([out.code, json(out.stdout)]).toEqual([0, { status: 'verified', signer: GOCSAF_FPR, method: 'detached', hashes: { sha256: 'match', sha512: 'match' } }]);
  });

  it('exit 3 for the tampered copy, with --signature given explicitly', async () => {
    const tampered = corpusPath('csaf/tampered/avendor-advisory-0004.tampered.json');
    const out = await secwatch(['verify', tampered, '--signature', `${tampered}.asc`, '--keys', corpusPath('csaf/gocsaf-simple-rolie-provider/openpgp'), '--hashes']);
    expect(out.code).toBe(3);
    expect(json(out.stdout)).toMatchObject({ status: 'bad', hashes: { sha256: 'mismatch', sha512: 'mismatch' } });
  });

  it('exit 4 for a CISA document: unknown key, its sha512 matching and no sha256 published', async () => {
    const out = await secwatch(['verify', corpusPath('csaf/cisa/OT/white/2022/icsa-22-011-01.json'), '--keys', KEY, '--hashes']);
    expect([out.code, json(out.stdout)]).toEqual([4, { status: 'unknown-key', issuer: '144AED0A57BE7D4AE835D9D8CAC5AC4F74164B17', hashes: { sha256: 'missing', sha512: 'match' } }]);
  });

  it('exit 5 for the unsigned Red Hat copy; exit 2 naming an unreadable file', async () => {
    const out = await secwatch(['verify', corpusPath('csaf/redhat/rhsa-2024_4546.json')]);
    expect([out.code, json(out.stdout)]).toEqual([5, { status: 'unsigned' }]);
    const missing = await secwatch(['verify', '/nonexistent/doc.json']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^secwatch: \/nonexistent\/doc\.json: cannot read/);
  });
});

describe('secwatch parse --format csaf', () => {
  it('sets signature.status from the keys given, else not-checked', async () => {
    const checked = await secwatch(['parse', '--format', 'csaf', DOC, '--keys', KEY]);
    expect(json(checked.stdout)).toMatchObject({ id: 'csaf:example:avendor-advisory-0004', signature: { status: 'verified', signer: GOCSAF_FPR } });
    const plain = await secwatch(['parse', DOC]);
    expect(json(plain.stdout)).toMatchObject({ signature: { status: 'not-checked' } });
    const tampered = await secwatch(['parse', corpusPath('csaf/tampered/avendor-advisory-0004.tampered.json'), '--keys', KEY]);
    expect(json(tampered.stdout)).toMatchObject({ signature: { status: 'bad' } });
  });
});

describe('secwatch quarantine', () => {
  it('lists what the store holds, as text and as JSON', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'secwatch-quarantine-'));
    const store = await openStore(`sqlite:${join(dir, 'secwatch.db')}`);
    await store.quarantineDocument({
      sourceId: 'acme',
      url: 'https://acme.example/white/a.json',
      sha256: 'ab'.repeat(32),
      status: 'bad',
      reason: 'verify: require, got bad: sha512 mismatch',
      checks: {},
      quarantinedAt: new Date('2026-01-02T03:04:05Z'),
    });
    await store.close();
    const cfg = join(dir, 'secwatch.yaml');
    writeFileSync(cfg, `dataDir: ${dir}\n`);
    const text = await secwatch(['quarantine', '--config', cfg]);
    expect(text.code).toBe(0);
    expect(text.stdout).toBe(
      [
        'secwatch: 1 document(s) in quarantine',
        '2026-01-02T03:04:05.000Z  acme  bad  https://acme.example/white/a.json',
        '    verify: require, got bad: sha512 mismatch',
        `    sha256 ${'ab'.repeat(32)}`,
        '',
      ].join('\n'),
    );
    const asJson = await secwatch(['quarantine', '--config', cfg, '--json']);
    expect(asJson.stderr).toBe('');
    expect(json(asJson.stdout)).toEqual([expect.objectContaining({ sourceId: 'acme', status: 'bad', quarantinedAt: '2026-01-02T03:04:05.000Z' })]);
  });
});
