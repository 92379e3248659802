import { readCleartextMessage, verify, type CleartextMessage, type Signature } from 'openpgp';
import { describeError } from '../errors.js';
import type { Keyring } from './keyring.js';
import { issuersOf, judgeSignatures } from './openpgp-detached.js';
import type { Verification } from './verification.js';

// RFC 9580 §7 cleartext signature framework ("-----BEGIN PGP SIGNED MESSAGE-----"), as mailing
// lists and some vendors publish advisories.

const HEADER = '-----BEGIN PGP SIGNED MESSAGE-----';

/** Whether a document is clearsigned text (so the cleartext check applies instead of "unsigned"). */
export function isClearsigned(body: Uint8Array): boolean {
  return new TextDecoder('utf-8').decode(body.subarray(0, 64 * 1024)).includes(HEADER);
}

/** Verify a clearsigned text; the signed text is returned with the verdict (what the signature covers). */
export async function verifyCleartext(body: Uint8Array, keyring: Keyring, now: Date = new Date()): Promise<{ verification: Verification; text?: string }> {
  let message: CleartextMessage;
  try {
    message = await readCleartextMessage({ cleartextMessage: new TextDecoder('utf-8').decode(body) });
  } catch (err) {
    return { verification: { status: 'bad', reason: `clearsigned text unreadable: ${describeError(err)}` } };
  }
  const result = await verify({ message, verificationKeys: keyring.keys.map((k) => k.key) });
  // Issuer fingerprints (v4 subpacket 33) when the signature carries them, so unknown-key names the full fingerprint.
  // openpgp.js keeps the parsed signature on the message; its type declarations do not list it.
  const { signature } = message as unknown as { readonly signature: Signature };
  const verification = await judgeSignatures(result, keyring, 'cleartext', issuersOf(signature), now);
  return { verification, text: message.getText() };
}
