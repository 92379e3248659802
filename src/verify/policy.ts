import type { SignatureInfo } from '../model/advisory.js';
import { signatureInfo, type DocumentVerification } from './verification.js';

/**
 * Per-source policy (DESIGN.md "Verification"): `require` accepts only `verified`; `prefer` lets
 * unsigned, unknown-key and expired-key documents through, marked, and quarantines `bad`; `off`
 * checks nothing.
 */
export type VerifyPolicy = 'require' | 'prefer' | 'off';

export type PolicyDecision =
  | { readonly action: 'accept'; readonly signature: SignatureInfo }
  | { readonly action: 'quarantine'; readonly signature: SignatureInfo; readonly reason: string };

/** What to do with a document given its verification (undefined when the policy is `off`). */
export function decide(policy: VerifyPolicy, result: DocumentVerification | undefined): PolicyDecision {
  if (policy === 'off' || result === undefined) return { action: 'accept', signature: { status: 'not-checked' } };
  const v = result.verification;
  const signature = signatureInfo(v);
  const why =
    v.status === 'bad'
      ? `bad: ${v.reason}`
      : v.status === 'unknown-key'
        ? `unknown-key: signed by ${v.issuer}, not a pinned key`
        : v.status === 'expired-key'
          ? `expired-key: signed by ${v.fingerprint}, whose key expired ${v.expiredAt}`
          : v.status;
  switch (policy) {
    case 'require':
      return v.status === 'verified' ? { action: 'accept', signature } : { action: 'quarantine', signature, reason: `verify: require, got ${why}` };
    case 'prefer':
      return v.status === 'bad' ? { action: 'quarantine', signature, reason: `verify: prefer, got ${why}` } : { action: 'accept', signature };
  }
}
