import { createHash } from 'node:crypto';
import type { CompanionFile } from '../model/raw-document.js';
import type { HashAlgorithm, HashCheck } from './verification.js';

// CSAF 2.0 §7.1.18 (hash companions): "<hex digest>  <file name>", as sha256sum/sha512sum write it.

const HEX_LENGTH: Record<HashAlgorithm, number> = { sha256: 64, sha512: 128 };

/** The digest a companion file claims, or undefined when the file is not a digest line. */
export function readHashCompanion(algorithm: HashAlgorithm, text: string): string | undefined {
  const first = text.replace(/^\uFEFF/, '').trim().split(/\s+/)[0] ?? '';
  const n = HEX_LENGTH[algorithm];
  return new RegExp(`^[0-9a-fA-F]{${n}}$`).test(first) ? first.toLowerCase() : undefined;
}

/** Compare the document's exact bytes with one companion; an unreadable companion is a mismatch. */
export function checkHash(algorithm: HashAlgorithm, body: Uint8Array, companion: CompanionFile): HashCheck {
  if (companion.body === undefined) return { algorithm, status: 'missing' };
  const actual = createHash(algorithm).update(body).digest('hex');
  const expected = readHashCompanion(algorithm, new TextDecoder('utf-8').decode(companion.body));
  if (expected === actual) return { algorithm, status: 'match', digest: actual };
  return { algorithm, status: 'mismatch', expected: expected ?? '(not a digest line)', actual };
}
