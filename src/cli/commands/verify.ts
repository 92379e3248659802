import { readFile } from 'node:fs/promises';
import { describeError } from '../../errors.js';
import type { SignatureInfo } from '../../model/advisory.js';
import type { CompanionFile, DocumentCompanions } from '../../model/raw-document.js';
import { EMPTY_KEYRING, loadKeyring, signatureInfo, verifyDocument, verifyMail, type DocumentVerification, type Keyring, type Verification } from '../../verify/index.js';
import { CliFailure } from '../failure.js';
import { isMailFile, verifyMailLine } from './verify-mail.js';

export interface VerifyCommandOptions {
  readonly signature?: string;
  readonly keys?: readonly string[];
  readonly hashes?: boolean;
}

/** DESIGN.md stage command contract: exit 0 verified, 3 bad, 4 unknown-key, 5 unsigned, 6 expired-key (2: cannot read). */
export const VERIFY_EXIT: Record<Verification['status'], number> = { verified: 0, bad: 3, 'unknown-key': 4, unsigned: 5, 'expired-key': 6 };

/**
 * `secwatch verify FILE`: one JSON line `{status, signer?, hashes?}`. The signature is --signature,
 * else FILE.asc when it exists; --hashes also checks FILE.sha256 and FILE.sha512.
 */
export async function verifyCommand(file: string, options: VerifyCommandOptions): Promise<number> {
  const body = await readOrFail(file);
  if (options.signature === undefined && isMailFile(file, body)) {
    const mail = await verifyMailLine(body, await keyringOf(options.keys));
    process.stdout.write(`${JSON.stringify(mail.line)}\n`);
    return VERIFY_EXIT[mail.status];
  }
  const result = await verifyFile(file, body, options);
  const v = result.verification;
  const line = {
    status: v.status,
    ...(v.status === 'verified' ? { signer: v.fingerprint, method: v.method } : {}),
    ...(v.status === 'expired-key' ? { signer: v.fingerprint, method: v.method, expiredAt: v.expiredAt } : {}),
    ...(v.status === 'unknown-key' ? { issuer: v.issuer } : {}),
    ...(v.status === 'bad' ? { reason: v.reason } : {}),
    ...(options.hashes ? { hashes: Object.fromEntries(result.hashes.map((h) => [h.algorithm, h.status])) } : {}),
  };
  process.stdout.write(`${JSON.stringify(line)}\n`);
  return VERIFY_EXIT[v.status];
}

/** `secwatch parse --keys`: the signature field a parsed document gets (its .asc and hash files beside it). */
export async function signatureOfFile(file: string, body: Uint8Array, keys: readonly string[]): Promise<SignatureInfo> {
  if (isMailFile(file, body)) return signatureInfo((await verifyMail(body, await keyringOf(keys))).verification);
  return signatureInfo((await verifyFile(file, body, { keys, hashes: true })).verification);
}

async function keyringOf(keys: readonly string[] | undefined): Promise<Keyring> {
  return keys && keys.length > 0 ? loadKeyring(keys) : EMPTY_KEYRING;
}

async function verifyFile(file: string, body: Uint8Array, options: VerifyCommandOptions): Promise<DocumentVerification> {
  const keyring = await keyringOf(options.keys);
  const companions: { signature?: CompanionFile; sha256?: CompanionFile; sha512?: CompanionFile } = {};
  if (options.signature !== undefined) companions.signature = { url: options.signature, body: await readOrFail(options.signature) };
  else {
    const beside = await readOptional(`${file}.asc`);
    if (beside) companions.signature = beside;
  }
  if (options.hashes) {
    companions.sha256 = (await readOptional(`${file}.sha256`)) ?? { url: `${file}.sha256` };
    companions.sha512 = (await readOptional(`${file}.sha512`)) ?? { url: `${file}.sha512` };
  }
  return verifyDocument(body, companions satisfies DocumentCompanions, keyring);
}

async function readOrFail(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (err) {
    throw new CliFailure(2, `${path}: cannot read: ${describeError(err)}`);
  }
}

async function readOptional(path: string): Promise<CompanionFile | undefined> {
  try {
    return { url: path, body: await readFile(path) };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new CliFailure(2, `${path}: cannot read: ${describeError(err)}`);
  }
}
