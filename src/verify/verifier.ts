import type { DocumentCompanions } from '../model/raw-document.js';
import { checkHash } from './hashes.js';
import type { Keyring } from './keyring.js';
import { isClearsigned, verifyCleartext } from './openpgp-cleartext.js';
import { verifyDetached } from './openpgp-detached.js';
import type { CheckRecord, DocumentVerification, HashCheck, Verification } from './verification.js';

/**
 * Run the checks in order — sha256 and sha512 companions, then the detached signature, else a
 * clearsigned body — and record each. A hash mismatch makes the verdict `bad` whatever the
 * signature says: the bytes are not the ones the publisher described.
 */
export async function verifyDocument(body: Uint8Array, companions: DocumentCompanions, keyring: Keyring, now: Date = new Date()): Promise<DocumentVerification> {
  const checks: CheckRecord[] = [];
  const hashes: HashCheck[] = [];
  for (const algorithm of ['sha256', 'sha512'] as const) {
    const companion = companions[algorithm];
    if (!companion) continue;
    const check = checkHash(algorithm, body, companion);
    hashes.push(check);
    checks.push({ check: algorithm, outcome: check.status, detail: companion.url });
  }

  let signature: Verification;
  if (companions.signature?.body !== undefined) {
    signature = await verifyDetached(body, companions.signature.body, keyring, now);
    checks.push({ check: 'signature', outcome: signature.status, detail: `detached ${companions.signature.url}` });
  } else if (isClearsigned(body)) {
    signature = (await verifyCleartext(body, keyring, now)).verification;
    checks.push({ check: 'signature', outcome: signature.status, detail: 'cleartext' });
  } else {
    signature = { status: 'unsigned' };
    const detail = companions.signature ? `signature ${companions.signature.url} advertised but not found` : 'no signature';
    checks.push({ check: 'signature', outcome: 'unsigned', detail });
  }

  const mismatch = hashes.filter((h) => h.status === 'mismatch').map((h) => h.algorithm);
  const verification: Verification =
    mismatch.length > 0 ? { status: 'bad', reason: `${mismatch.join(' and ')} mismatch${signature.status === 'bad' ? `; ${signature.reason}` : ''}` } : signature;
  return { verification, hashes, checks };
}
