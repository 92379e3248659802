import type { RawDocument } from '../model/raw-document.js';
import { decide, type PolicyDecision } from './policy.js';
import { sourceKeyring, type SourceVerifySettings } from './source-keyring.js';
import type { DocumentVerification } from './verification.js';
import { verifyDocument } from './verifier.js';

/** The verify stage's answer for one document: the policy decision and, unless `off`, what was found. */
export interface VerifyStageResult {
  readonly decision: PolicyDecision;
  readonly result?: DocumentVerification;
}

/**
 * The verify stage (DESIGN.md pipeline: verify → parse): check a fetched document against its
 * companions and the source's keys, then apply the source's policy. Throws only when the
 * configuration is wrong (a pinned key file that is not the pinned key).
 */
export async function verifyForSource(doc: RawDocument, settings: SourceVerifySettings): Promise<VerifyStageResult> {
  if (settings.policy === 'off') return { decision: decide('off', undefined) };
  const keyring = await sourceKeyring(settings, doc.companions?.keys);
  const result = await verifyDocument(doc.body, doc.companions ?? {}, keyring);
  return { decision: decide(settings.policy, result), result };
}
