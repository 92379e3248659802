import { createMessage, readSignature, verify, type Key, type Signature } from 'openpgp';
import { describeError } from '../errors.js';
import { findKey, type Keyring } from './keyring.js';
import type { Verification } from './verification.js';

// RFC 9580 §5.2 detached signatures over the exact bytes of a document (CSAF 2.0 §7.1.19).

/**
 * Check a detached signature (armored or binary) over `body`. Never throws for a bad or unknown
 * signature. `now` decides whether the signer's key has expired since (expired-key).
 */
export async function verifyDetached(body: Uint8Array, signatureFile: Uint8Array, keyring: Keyring, now: Date = new Date()): Promise<Verification> {
  let signature: Signature;
  try {
    signature = await readAnySignature(signatureFile);
  } catch (err) {
    return { status: 'bad', reason: `signature unreadable: ${describeError(err)}` };
  }
  const message = await createMessage({ binary: body });
  return judgeSignatures(
    await verify({ message, signature, verificationKeys: keyring.keys.map((k) => k.key), format: 'binary' }),
    keyring,
    'detached',
    issuersOf(signature),
    now,
  );
}

async function readAnySignature(file: Uint8Array): Promise<Signature> {
  const text = new TextDecoder('utf-8').decode(file);
  if (text.includes('-----BEGIN PGP SIGNATURE-----')) return readSignature({ armoredSignature: text });
  return readSignature({ binarySignature: file });
}

/** Issuer fingerprints (v4 subpacket 33) by key id, so unknown-key names the full fingerprint when it can. */
export function issuersOf(signature: Signature): Map<string, string> {
  const out = new Map<string, string>();
  for (const packet of signature.packets) {
    const keyId = packet.issuerKeyID.toHex();
    const fpr = packet.issuerFingerprint ? Buffer.from(packet.issuerFingerprint).toString('hex').toUpperCase() : keyId.toUpperCase();
    out.set(keyId, fpr);
  }
  return out;
}

interface VerifyOutcome {
  readonly signatures: readonly { readonly keyID: { toHex(): string }; readonly verified: Promise<true> }[];
}

/**
 * Several signatures: one good one from a trusted key verifies; otherwise a bad one makes it bad;
 * otherwise nobody we trust signed it (unknown-key). openpgp.js checks the key as it was when the
 * signature was made, so a good signature by a pinned key that has expired by `now` still
 * verifies there; we report it as `expired-key` (a good one by an unexpired key wins over it).
 */
export async function judgeSignatures(
  result: VerifyOutcome,
  keyring: Keyring,
  method: 'detached' | 'cleartext',
  issuers: ReadonlyMap<string, string>,
  now: Date = new Date(),
): Promise<Verification> {
  if (result.signatures.length === 0) return { status: 'unsigned' };
  let bad: Verification | undefined;
  let unknown: Verification | undefined;
  let expired: Verification | undefined;
  for (const s of result.signatures) {
    const keyId = s.keyID.toHex();
    try {
      await s.verified;
      const key = findKey(keyring, keyId);
      const expiredAt = key ? await expiryBefore(key.key, keyId, now) : undefined;
      if (key && expiredAt !== undefined) expired ??= { status: 'expired-key', method, fingerprint: key.fingerprint, keyOrigin: key.origin, expiredAt };
      else if (key) return { status: 'verified', method, fingerprint: key.fingerprint, keyOrigin: key.origin };
      unknown ??= { status: 'unknown-key', issuer: issuers.get(keyId) ?? keyId.toUpperCase() };
    } catch (err) {
      const why = describeError(err);
      if (/could not find signing key/i.test(why)) unknown ??= { status: 'unknown-key', issuer: issuers.get(keyId) ?? keyId.toUpperCase() };
      else bad ??= { status: 'bad', reason: why };
    }
  }
  return expired ?? bad ?? unknown ?? { status: 'unsigned' };
}

/** When the primary key or the (sub)key `keyId` expired, if that is at or before `now` (ISO). */
async function expiryBefore(key: Key, keyId: string, now: Date): Promise<string | undefined> {
  const signing = key.getKeys().find((k) => k.getKeyID().toHex() === keyId.toLowerCase());
  const times = [await key.getExpirationTime(), signing && signing !== key ? await signing.getExpirationTime() : null];
  const dates = times.filter((t): t is Date => t instanceof Date).sort((a, b) => a.getTime() - b.getTime());
  const first = dates[0];
  return first !== undefined && first.getTime() <= now.getTime() ? first.toISOString() : undefined;
}
