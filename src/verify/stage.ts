import type { RawDocument } from '../model/raw-document.js';
import { decide, type PolicyDecision } from './policy.js';
import { sourceKeyring, type SourceVerifySettings } from './source-keyring.js';
import type { DocumentVerification } from './verification.js';
import { verifyMailDocument } from './mail.js';
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
export async function verifyForSource(doc: RawDocument, settings: SourceVerifySettings, now: Date = new Date()): Promise<VerifyStageResult> {
  if (settings.policy === 'off') return { decision: decide('off', undefined) };
  const keyring = await sourceKeyring(settings, doc.companions?.keys);
  // A mail carries its signatures inside (PGP/MIME, clearsigned parts), not beside it.
  const result = doc.sourceKind === 'mbox' ? await verifyMailDocument(doc.body, keyring, now) : await verifyDocument(doc.body, doc.companions ?? {}, keyring, now);
  return { decision: decide(settings.policy, result), result };
}
