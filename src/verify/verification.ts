import type { SignatureInfo } from '../model/advisory.js';

// The outcome types of the verify stage (DESIGN.md "Verification"): values, never throws, for
// every expected failure — a bad signature is news, not a crash.

/** What the signature check concluded about one document. */
export type Verification =
  | { readonly status: 'verified'; readonly method: 'detached' | 'cleartext'; readonly fingerprint: string; readonly keyOrigin: string }
  /** The signature is good and by a pinned key, but that key (or the signing subkey) has expired since: rotate the pin. */
  | { readonly status: 'expired-key'; readonly method: 'detached' | 'cleartext'; readonly fingerprint: string; readonly keyOrigin: string; readonly expiredAt: string }
  | { readonly status: 'bad'; readonly reason: string }
  | { readonly status: 'unknown-key'; readonly issuer: string }
  | { readonly status: 'unsigned' };

export type HashAlgorithm = 'sha256' | 'sha512';

/** One hash companion compared with the document's bytes; `missing` = advertised or looked for, not found. */
export type HashCheck =
  | { readonly algorithm: HashAlgorithm; readonly status: 'match'; readonly digest: string }
  | { readonly algorithm: HashAlgorithm; readonly status: 'mismatch'; readonly expected: string; readonly actual: string }
  | { readonly algorithm: HashAlgorithm; readonly status: 'missing' };

/** One recorded step of verifyDocument(), in the order it ran (the gocsaf checker idea). */
export interface CheckRecord {
  readonly check: HashAlgorithm | 'signature';
  readonly outcome: string;
  readonly detail?: string;
}

/** Everything verifyDocument() found: the overall verdict (a hash mismatch makes it `bad`), each hash, each step. */
export interface DocumentVerification {
  readonly verification: Verification;
  readonly hashes: readonly HashCheck[];
  readonly checks: readonly CheckRecord[];
}

/** The advisory's `signature` field for a verdict: who signed, or who claims to have. */
export function signatureInfo(v: Verification): SignatureInfo {
  switch (v.status) {
    case 'verified':
      return { status: 'verified', signer: v.fingerprint };
    case 'expired-key':
      return { status: 'expired-key', signer: v.fingerprint };
    case 'unknown-key':
      return { status: 'unknown-key', signer: v.issuer };
    case 'bad':
      return { status: 'bad' };
    case 'unsigned':
      return { status: 'unsigned' };
  }
}

/** Upper-case hex without spaces: how fingerprints are compared and printed everywhere. */
export function normalizeFingerprint(fingerprint: string): string {
  return fingerprint.replace(/\s+/g, '').toUpperCase();
}
