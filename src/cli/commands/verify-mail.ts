import { looksLikeMail, verifyMail, type Keyring, type MailSignature } from '../../verify/index.js';

/** A file `secwatch verify` reads as a mail: named .eml, or starting with RFC 822 header lines. */
export function isMailFile(file: string, body: Uint8Array): boolean {
  return /\.eml$/i.test(file) || looksLikeMail(body);
}

/**
 * The JSON line for a mail: the usual {status, signer?, issuer?, reason?} of the signature that
 * vouches for the advisory text, plus who signed (user ID), which signature that was, and every
 * signature found.
 */
export async function verifyMailLine(body: Uint8Array, keyring: Keyring): Promise<{ status: MailSignature['verification']['status']; line: Record<string, unknown> }> {
  const mail = await verifyMail(body, keyring);
  const v = mail.verification;
  const line = {
    status: v.status,
    ...fields(v),
    ...(mail.vouching?.signerUserId ? { signerUserId: mail.vouching.signerUserId } : {}),
    ...(mail.vouching ? { vouching: { method: mail.vouching.method, part: mail.vouching.part } } : {}),
    signatures: mail.signatures.map((s) => ({
      method: s.method,
      part: s.part,
      status: s.verification.status,
      ...fields(s.verification),
      ...(s.signerUserId ? { signerUserId: s.signerUserId } : {}),
    })),
    ...(mail.problems.length > 0 ? { problems: mail.problems } : {}),
  };
  return { status: v.status, line };
}

function fields(v: MailSignature['verification']): Record<string, string> {
  switch (v.status) {
    case 'verified':
      return { signer: v.fingerprint, method: v.method };
    case 'expired-key':
      return { signer: v.fingerprint, method: v.method, expiredAt: v.expiredAt };
    case 'unknown-key':
      return { issuer: v.issuer };
    case 'bad':
      return { reason: v.reason };
    case 'unsigned':
      return {};
  }
}
