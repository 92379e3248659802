// The verify stage's public face (STYLE.md B9.3): other stages import from here.
export type { Verification, HashCheck, HashAlgorithm, CheckRecord, DocumentVerification } from './verification.js';
export { signatureInfo, normalizeFingerprint } from './verification.js';
export { checkHash, readHashCompanion } from './hashes.js';
export { EMPTY_KEYRING, KeyRefusedError, findKey, loadKeyring, readArmoredKeys, readKeyFile, type Keyring, type TrustedKey } from './keyring.js';
export { verifyDetached } from './openpgp-detached.js';
export { isClearsigned, verifyCleartext } from './openpgp-cleartext.js';
export { verifyDocument } from './verifier.js';
export { decide, type PolicyDecision, type VerifyPolicy } from './policy.js';
export { sourceKeyring, verifySettings, type SourceVerifySettings } from './source-keyring.js';
export { verifyForSource, type VerifyStageResult } from './stage.js';
export { looksLikeMail, verifyMail, verifyMailDocument, vouchingSignature, type MailSignature, type MailVerification } from './mail.js';
