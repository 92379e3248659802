import { describeError } from '../errors.js';
import { findClearsignedBlocks } from '../mail/clearsigned.js';
import { looksLikeMailText } from '../mail/sniff.js';
import { canonicalCrlf, decodeText, parseMimeTree, type MimeNode } from '../mail/mime-tree.js';
import type { Keyring } from './keyring.js';
import { verifyCleartext } from './openpgp-cleartext.js';
import { verifyDetached } from './openpgp-detached.js';
import type { CheckRecord, DocumentVerification, Verification } from './verification.js';

// Signatures in mail: PGP/MIME (RFC 3156 multipart/signed, checked over the first part's exact
// bytes with CRLF line endings) and inline clearsigned blocks in text parts (after undoing the
// transfer encoding — a forwarded DSA travels quoted-printable). A mail may carry both: a
// forwarder's PGP/MIME around the publisher's clearsigned advisory.

export interface MailSignature {
  readonly method: 'pgp-mime' | 'cleartext';
  /** Where it sits: "message", "part 1"… (PGP/MIME: the multipart/signed entity; cleartext: the text part). */
  readonly part: string;
  readonly verification: Verification;
  /** The signer's first user ID when the key is in the keyring ("Moritz Mühlenhoff <jmm@debian.org>"). */
  readonly signerUserId?: string;
  /** Nesting depth: larger is further inside. */
  readonly depth: number;
}

export interface MailVerification {
  /** The verdict of the signature that vouches for the advisory text (see vouchingSignature). */
  readonly verification: Verification;
  readonly vouching?: MailSignature;
  readonly signatures: readonly MailSignature[];
  /** MIME faults met on the way (a truncated multipart…); the signatures found are still reported. */
  readonly problems: readonly string[];
}

/** Heuristic: RFC 822 header lines first (so `secwatch verify` can tell a mail from a clearsigned text). */
export function looksLikeMail(body: Uint8Array): boolean {
  return looksLikeMailText(new TextDecoder('utf-8').decode(body.subarray(0, 4096)));
}

/** Check every signature of a message; never throws for bad input. */
export async function verifyMail(message: Uint8Array, keyring: Keyring, now: Date = new Date()): Promise<MailVerification> {
  const tree = parseMimeTree(message);
  const signatures: MailSignature[] = [];
  const problems = [...tree.problems];
  await walk(tree.root, 0, { keyring, now }, signatures, problems);
  const vouching = vouchingSignature(signatures);
  return { verification: vouching?.verification ?? { status: 'unsigned' }, ...(vouching ? { vouching } : {}), signatures, problems };
}

/**
 * Which signature speaks for the advisory text: the innermost first (a clearsigned advisory
 * before the PGP/MIME of whoever forwarded it). The first that verifies vouches; a `bad` one met
 * before that makes the text bad (it changed after that signer signed it); a signature by a key
 * we do not hold passes the question outwards; the innermost unknown signer is reported if
 * nobody we trust signed.
 */
export function vouchingSignature(signatures: readonly MailSignature[]): MailSignature | undefined {
  const order = [...signatures].sort((a, b) => rank(a) - rank(b));
  let unknown: MailSignature | undefined;
  for (const s of order) {
    // A good signature by a pinned key that expired since still vouches, reported as expired-key.
    if (s.verification.status === 'verified' || s.verification.status === 'expired-key' || s.verification.status === 'bad') return s;
    if (s.verification.status === 'unknown-key') unknown ??= s;
  }
  return unknown;
}

function rank(s: MailSignature): number {
  return (s.method === 'cleartext' ? 0 : 1000) - s.depth;
}

async function walk(node: MimeNode, depth: number, ctx: { keyring: Keyring; now: Date }, out: MailSignature[], problems: string[]): Promise<void> {
  const { keyring, now } = ctx;
  const where = node.path === '' ? 'message' : `part ${node.path}`;
  if (node.contentType === 'multipart/signed' && /pgp-signature/i.test(node.params.protocol ?? '')) {
    const [signed, signature] = node.children;
    const verification: Verification =
      signed && signature
        ? await guard(() => verifyDetached(canonicalCrlf(signed.raw), new TextEncoder().encode(decodeText(signature)), keyring, now))
        : { status: 'bad', reason: `${where}: multipart/signed without its two parts` };
    out.push(withSigner({ method: 'pgp-mime', part: where, verification, depth }, keyring));
    if (signed) await walk(signed, depth + 1, ctx, out, problems);
    return;
  }
  if (node.children.length > 0) {
    for (const child of node.children) await walk(child, depth + 1, ctx, out, problems);
    return;
  }
  if (!node.contentType.startsWith('text/')) return;
  for (const block of findClearsignedBlocks(decodeText(node))) {
    const verification: Verification = block.complete
      ? await guard(async () => (await verifyCleartext(new TextEncoder().encode(block.armored), keyring, now)).verification)
      : { status: 'bad', reason: `${where}: clearsigned block without its END line (truncated?)` };
    out.push(withSigner({ method: 'cleartext', part: where, verification, depth }, keyring));
  }
}

/** openpgp.js may throw on armour it half-reads; that is a bad signature, not a crash. */
async function guard(check: () => Promise<Verification>): Promise<Verification> {
  try {
    return await check();
  } catch (err) {
    return { status: 'bad', reason: `signature unreadable: ${describeError(err)}` };
  }
}

function withSigner(s: MailSignature, keyring: Keyring): MailSignature {
  if (s.verification.status !== 'verified' && s.verification.status !== 'expired-key') return s;
  const fpr = s.verification.fingerprint;
  const userId = keyring.keys.find((k) => k.fingerprint === fpr)?.key.getUserIDs()[0];
  return userId ? { ...s, signerUserId: userId } : s;
}

/** The verify stage's record for a mail document: the vouching verdict and one step per signature. */
export async function verifyMailDocument(message: Uint8Array, keyring: Keyring, now: Date = new Date()): Promise<DocumentVerification> {
  const mail = await verifyMail(message, keyring, now);
  const checks: CheckRecord[] = mail.signatures.map((s) => ({
    check: 'signature',
    outcome: s.verification.status,
    detail: `${s.method} ${s.part}${s === mail.vouching ? ' (vouches for the advisory text)' : ''}${detail(s.verification)}`,
  }));
  for (const p of mail.problems) checks.push({ check: 'signature', outcome: 'mime-problem', detail: p });
  if (mail.signatures.length === 0) checks.push({ check: 'signature', outcome: 'unsigned', detail: 'no PGP/MIME or clearsigned signature in the mail' });
  return { verification: mail.verification, hashes: [], checks };
}

function detail(v: Verification): string {
  switch (v.status) {
    case 'verified':
      return `: ${v.fingerprint}`;
    case 'expired-key':
      return `: ${v.fingerprint}, key expired ${v.expiredAt}`;
    case 'unknown-key':
      return `: issuer ${v.issuer}`;
    case 'bad':
      return `: ${v.reason}`;
    case 'unsigned':
      return '';
  }
}
