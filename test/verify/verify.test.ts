import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import type { DocumentCompanions } from '../../src/model/raw-document.js';
import {
  EMPTY_KEYRING,
  KeyRefusedError,
  checkHash,
  decide,
  loadKeyring,
  readKeyFile,
  verifyCleartext,
  verifyDetached,
  verifyDocument,
  type DocumentVerification,
} from '../../src/verify/index.js';
import { corpus, corpusPath } from '../helpers/corpus.js';

// Expectations come from the corpus MANIFEST's gpg/sha*sum column, not from running our code.
const GOCSAF = 'csaf/gocsaf-simple-rolie-provider';
const GOCSAF_DOC = `${GOCSAF}/white/avendor-advisory-0004.json`;
const GOCSAF_KEY = `${GOCSAF}/openpgp/pubkey.asc`;
const GOCSAF_FPR = 'A8914CA2F11139C6A69A0018FB3CD9B15DE61596';
const CISA_ISSUER = '144AED0A57BE7D4AE835D9D8CAC5AC4F74164B17';
const TAMPERED = 'csaf/tampered/avendor-advisory-0004.tampered.json';
const CISA_DOCS = [
  'csaf/cisa/IT/white/2024/va-24-201-01.json',
  'csaf/cisa/IT/white/2024/va-24-254-01.json',
  'csaf/cisa/IT/white/2024/va-24-254-02.json',
  'csaf/cisa/OT/white/2018/icsa-18-009-01.json',
  'csaf/cisa/OT/white/2024/icsa-24-011-03.json',
];

const companions = (rel: string, which: readonly ('asc' | 'sha256' | 'sha512')[]): DocumentCompanions => {
  const file = (ext: string) => ({ url: `https://corpus.invalid/${rel}.${ext}`, body: corpus(`${rel}.${ext}`) });
  return {
    ...(which.includes('asc') ? { signature: file('asc') } : {}),
    ...(which.includes('sha256') ? { sha256: file('sha256') } : {}),
    ...(which.includes('sha512') ? { sha512: file('sha512') } : {}),
  };
};
const gocsafKeyring = async () => ({ keys: await readKeyFile(corpusPath(GOCSAF_KEY), GOCSAF_FPR) });

describe('hash companions', () => {
  it('matches the published SHA-256 and SHA-512 of the gocsaf document', () => {
    const body = corpus(GOCSAF_DOC);
    const sha256 = createHash('sha256').update(body).digest('hex');
    expect(checkHash('sha256', body, { url: 'x', body: corpus(`${GOCSAF_DOC}.sha256`) })).toEqual({ algorithm: 'sha256', status: 'match', digest: sha256 });
    expect(checkHash('sha512', body, { url: 'x', body: corpus(`${GOCSAF_DOC}.sha512`) }).status).toBe('match');
  });

  it('reports a mismatch for the tampered copy, with both digests, and missing when the file was not found', () => {
    const result = checkHash('sha256', corpus(TAMPERED), { url: 'x', body: corpus(`${TAMPERED}.sha256`) });
    expect(result).toMatchObject({ status: 'mismatch', expected: corpus(`${TAMPERED}.sha256`).toString().split(/\s+/)[0] });
    expect(checkHash('sha512', corpus(TAMPERED), { url: 'x' })).toEqual({ algorithm: 'sha512', status: 'missing' });
  });

  it('treats a companion that is not a digest line as a mismatch', () => {
    expect(checkHash('sha256', corpus(GOCSAF_DOC), { url: 'x', body: corpus(`${GOCSAF_DOC}.sha512`) }).status).toBe('mismatch');
  });
});

describe('keyring', () => {
  it('reads the pinned gocsaf key and records where it came from', async () => {
    const keys = await readKeyFile(corpusPath(GOCSAF_KEY), GOCSAF_FPR.toLowerCase().replace(/(.{4})/g, '$1 '));
    expect(keys.map((k) => [k.fingerprint, k.origin])).toEqual([[GOCSAF_FPR, corpusPath(GOCSAF_KEY)]]);
  });

  it('refuses a key file whose fingerprint is not the pinned one, naming file, found and pinned', async () => {
    const wrong = CISA_ISSUER;
    const err = await readKeyFile(corpusPath(GOCSAF_KEY), wrong).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KeyRefusedError);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toBe(`${corpusPath(GOCSAF_KEY)}: primary key fingerprint ${GOCSAF_FPR} is not the pinned ${wrong}; key refused`);
  });

  it('loads every key of a folder for `--keys DIR`, and names a file that is not a key', async () => {
    const ring = await loadKeyring([corpusPath(`${GOCSAF}/openpgp`), corpusPath('keys/debian')]);
    expect(ring.keys.map((k) => k.fingerprint).sort()).toEqual([GOCSAF_FPR, 'B6E62F3D12AC38495C0DA90510C293B6C37C4E36']);
    await expect(loadKeyring([corpusPath(GOCSAF_DOC)])).rejects.toThrow(new RegExp(`${GOCSAF_DOC}: not an OpenPGP public key`));
  });
});

describe('detached signatures', () => {
  it('verifies the gocsaf test provider document with its pinned key', async () => {
    const v = await verifyDetached(corpus(GOCSAF_DOC), corpus(`${GOCSAF_DOC}.asc`), await gocsafKeyring());
    expect(v).toEqual({ status: 'verified', method: 'detached', fingerprint: GOCSAF_FPR, keyOrigin: corpusPath(GOCSAF_KEY) });
  });

  it('finds the tampered copy bad (one byte changed after signing)', async () => {
    const v = await verifyDetached(corpus(TAMPERED), corpus(`${TAMPERED}.asc`), await gocsafKeyring());
    expect(v.status).toBe('bad');
  });

  it('says unknown-key with the issuer fingerprint when nobody pinned the signer', async () => {
    expect(await verifyDetached(corpus(GOCSAF_DOC), corpus(`${GOCSAF_DOC}.asc`), EMPTY_KEYRING)).toEqual({ status: 'unknown-key', issuer: GOCSAF_FPR });
  });

  it('calls an unreadable signature file bad, not unsigned', async () => {
    const v = await verifyDetached(corpus(GOCSAF_DOC), corpus(`${GOCSAF_DOC}.sha256`), await gocsafKeyring());
    expect(v).toMatchObject({ status: 'bad', reason: expect.stringMatching(/^signature unreadable/) as unknown });
  });
});

describe('clearsigned text', () => {
  const DSA = 'mail/derived/dsa-3775-1.inner-clearsigned.DERIVED.txt';
  const JMM = 'keys/debian/jmm-B6E62F3D12AC38495C0DA90510C293B6C37C4E36.asc';
  it('verifies DSA-3775-1 with the signer key and returns the signed text', async () => {
    const ring = { keys: await readKeyFile(corpusPath(JMM), 'B6E62F3D12AC38495C0DA90510C293B6C37C4E36') };
    const { verification, text } = await verifyCleartext(corpus(DSA), ring);
    expect(verification).toMatchObject({ status: 'verified', method: 'cleartext', fingerprint: 'B6E62F3D12AC38495C0DA90510C293B6C37C4E36' });
    expect(text).toContain('DSA-3775-1');
  });

  it('is bad once a byte of the text changes, unknown-key without the key', async () => {
    const ring = await loadKeyring([corpusPath(JMM)]);
    const altered = Buffer.from(corpus(DSA).toString('utf8').replace('tcpdump', 'tcpdumq'));
    expect((await verifyCleartext(altered, ring)).verification.status).toBe('bad');
    expect((await verifyCleartext(corpus(DSA), EMPTY_KEYRING)).verification.status).toBe('unknown-key');
  });
});

describe('verifyDocument: each check in order, recorded', () => {
  it('gocsaf document: hashes match, signature verified', async () => {
    const result = await verifyDocument(corpus(GOCSAF_DOC), companions(GOCSAF_DOC, ['asc', 'sha256', 'sha512']), await gocsafKeyring());
    expect(result.verification).toMatchObject({ status: 'verified', fingerprint: GOCSAF_FPR });
    expect(result.hashes.map((h) => [h.algorithm, h.status])).toEqual([['sha256', 'match'], ['sha512', 'match']]);
    expect(result.checks.map((c) => [c.check, c.outcome])).toEqual([['sha256', 'match'], ['sha512', 'match'], ['signature', 'verified']]);
  });

  it('tampered copy: bad, both hashes mismatch and the signature fails too', async () => {
    const result = await verifyDocument(corpus(TAMPERED), companions(TAMPERED, ['asc', 'sha256', 'sha512']), await gocsafKeyring());
    expect(result.verification.status).toBe('bad');
    expect(result.hashes.map((h) => h.status)).toEqual(['mismatch', 'mismatch']);
    expect(result.checks.at(-1)).toMatchObject({ check: 'signature', outcome: 'bad' });
  });

  it.each(CISA_DOCS)('CISA %s: unknown-key (their key is not in the corpus), sha512 matches', async (rel) => {
    const result = await verifyDocument(corpus(rel), companions(rel, ['asc', 'sha512']), await gocsafKeyring());
    expect(result.verification).toEqual({ status: 'unknown-key', issuer: CISA_ISSUER });
    expect(result.hashes).toEqual([{ algorithm: 'sha512', status: 'match', digest: createHash('sha512').update(corpus(rel)).digest('hex') }]);
  });

  it('CISA tampered copy: the hash mismatch makes it bad although the signature is only unknown-key', async () => {
    const rel = 'csaf/tampered/va-24-254-01.tampered.json';
    const result = await verifyDocument(corpus(rel), companions(rel, ['asc', 'sha512']), EMPTY_KEYRING);
    expect(result.verification).toEqual({ status: 'bad', reason: 'sha512 mismatch' });
    expect(result.checks.map((c) => c.outcome)).toEqual(['mismatch', 'unknown-key']);
  });

  it('a document without signature or clearsigning is unsigned', async () => {
    const result = await verifyDocument(corpus('csaf/redhat/rhsa-2024_4546.json'), {}, await gocsafKeyring());
    expect(result).toEqual({ verification: { status: 'unsigned' }, hashes: [], checks: [{ check: 'signature', outcome: 'unsigned', detail: 'no signature' }] });
  });
});

describe('policy', () => {
  const of = (verification: DocumentVerification['verification']): DocumentVerification => ({ verification, hashes: [], checks: [] });
  const verified = of({ status: 'verified', method: 'detached', fingerprint: GOCSAF_FPR, keyOrigin: 'k' });
  const bad = of({ status: 'bad', reason: 'sha512 mismatch' });
  const unknown = of({ status: 'unknown-key', issuer: CISA_ISSUER });
  const unsigned = of({ status: 'unsigned' });

  it('require: only verified passes', () => {
    expect(decide('require', verified)).toEqual({ action: 'accept', signature: { status: 'verified', signer: GOCSAF_FPR } });
    for (const v of [bad, unknown, unsigned]) expect(decide('require', v).action).toBe('quarantine');
    expect(decide('require', unsigned)).toMatchObject({ reason: 'verify: require, got unsigned' });
  });

  it('prefer: bad is quarantined; unsigned and unknown-key pass, marked', () => {
    expect(decide('prefer', bad)).toMatchObject({ action: 'quarantine', signature: { status: 'bad' }, reason: 'verify: prefer, got bad: sha512 mismatch' });
    expect(decide('prefer', unsigned)).toEqual({ action: 'accept', signature: { status: 'unsigned' } });
    expect(decide('prefer', unknown)).toEqual({ action: 'accept', signature: { status: 'unknown-key', signer: CISA_ISSUER } });
  });

  it('off: nothing checked', () => {
    expect(decide('off', undefined)).toEqual({ action: 'accept', signature: { status: 'not-checked' } });
  });
});
