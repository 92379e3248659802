import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMessage, generateKey, sign, type PrivateKey, type PublicKey } from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decide, readArmoredKeys, verifyCleartext, verifyDetached, verifyDocument, type Keyring } from '../../src/verify/index.js';

// A key made here with a one-hour lifetime signs while valid; verified an hour later the
// signature is still good (openpgp.js judges the key as of the signature), but the pinned key has
// expired since: secwatch says `expired-key`, not `verified`.

const CREATED = new Date('2024-01-01T00:00:00Z');
const SIGNED = new Date('2024-01-01T00:10:00Z');
const LIFETIME_S = 3600;
const EXPIRES = new Date(CREATED.getTime() + LIFETIME_S * 1000);
const BEFORE = new Date('2024-01-01T00:30:00Z');
const AFTER = new Date('2024-06-01T00:00:00Z');
const BODY = new TextEncoder().encode('{"document":{"title":"advisory signed by a short-lived key"}}');

let privateKey: PrivateKey;
let publicKey: PublicKey;
let keyring: Keyring;
let detached: Uint8Array;
let dir: string;

beforeAll(async () => {
  ({ privateKey, publicKey } = await generateKey({ type: 'ecc', curve: 'curve25519Legacy', userIDs: [{ name: 'short-lived', email: 'psirt@vendor.example' }], keyExpirationTime: LIFETIME_S, date: CREATED, format: 'object' }));
  keyring = { keys: await readArmoredKeys(publicKey.armor(), 'test key', publicKey.getFingerprint()) };
  const signature = await sign({ message: await createMessage({ binary: BODY }), signingKeys: privateKey, detached: true, date: SIGNED, format: 'object' });
  detached = new TextEncoder().encode(signature.armor());
  dir = mkdtempSync(join(tmpdir(), 'secwatch-expired-'));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('expired-key', () => {
  it('verifies while the key is valid and says expired-key (with when) once it has expired', async () => {
    const fingerprint = publicKey.getFingerprint().toUpperCase();
    expect(await verifyDetached(BODY, detached, keyring, BEFORE)).toMatchObject({ status: 'verified', fingerprint });
    expect(await verifyDetached(BODY, detached, keyring, AFTER)).toEqual({ status: 'expired-key', method: 'detached', fingerprint, keyOrigin: 'test key', expiredAt: EXPIRES.toISOString() });
  });

  it('still says bad for a changed document signed by the expired key', async () => {
    const changed = new TextEncoder().encode('{"document":{"title":"changed after signing"}}');
    expect((await verifyDetached(changed, detached, keyring, AFTER)).status).toBe('bad');
  });

  it('applies to clearsigned text too', async () => {
    const { createCleartextMessage } = await import('openpgp');
    const clearsigned = await sign({ message: await createCleartextMessage({ text: 'DSA-0000-1 example\n' }), signingKeys: privateKey, date: SIGNED });
    const body = new TextEncoder().encode(clearsigned);
    expect((await verifyCleartext(body, keyring, BEFORE)).verification.status).toBe('verified');
    expect((await verifyCleartext(body, keyring, AFTER)).verification.status).toBe('expired-key');
  });

  it('is marked under prefer and quarantined under require, with the reason', async () => {
    const result = await verifyDocument(BODY, { signature: { url: 'https://vendor.example/a.json.asc', body: detached } }, keyring, AFTER);
    expect(decide('prefer', result)).toEqual({ action: 'accept', signature: { status: 'expired-key', signer: publicKey.getFingerprint().toUpperCase() } });
    expect(decide('require', result)).toMatchObject({ action: 'quarantine', reason: expect.stringContaining(`expired-key: signed by ${publicKey.getFingerprint().toUpperCase()}, whose key expired ${EXPIRES.toISOString()}`) as unknown });
  });

  it('secwatch verify exits 6 with the signer and expiry (the real clock is long past 2024)', () => {
    writeFileSync(join(dir, 'a.json'), BODY);
    writeFileSync(join(dir, 'a.json.asc'), detached);
    writeFileSync(join(dir, 'key.asc'), publicKey.armor());
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'verify', join(dir, 'a.json'), '--keys', join(dir, 'key.asc')], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(6);
    expect(JSON.parse(run.stdout)).toEqual({ status: 'expired-key', signer: publicKey.getFingerprint().toUpperCase(), method: 'detached', expiredAt: EXPIRES.toISOString() });
  });
});
