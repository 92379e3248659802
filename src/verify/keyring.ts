import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { readKeys, type Key } from 'openpgp';
import { ConfigError, describeError } from '../errors.js';
import { normalizeFingerprint } from './verification.js';

// Pinned OpenPGP keys (DESIGN.md "Verification"): a key is trusted because an operator pinned its
// primary fingerprint, never because a file or a provider happened to offer it.

/** A public key we accept signatures from, with where it came from (the trust level recorded). */
export interface TrustedKey {
  readonly key: Key;
  /** Primary key fingerprint, upper-case hex. */
  readonly fingerprint: string;
  /** "config/keys/acme.asc" or "provider-metadata https://…/pubkey.asc". */
  readonly origin: string;
}

/** The keys one source (or one `secwatch verify` run) accepts. */
export interface Keyring {
  readonly keys: readonly TrustedKey[];
}

export const EMPTY_KEYRING: Keyring = { keys: [] };

/** Thrown when a key is not the pinned one: the seed's "check the key fingerprint" step failing. */
export class KeyRefusedError extends ConfigError {
  constructor(
    readonly origin: string,
    readonly found: readonly string[],
    readonly pinned: string,
  ) {
    super('keys', `${origin}: primary key fingerprint ${found.join(', ') || '(none)'} is not the pinned ${pinned}; key refused`);
  }
}

// Parsing a key costs a few ms; the same armored text always gives the same keys.
const parsed = new Map<string, Promise<Key[]>>();

async function parseArmored(armored: string, origin: string): Promise<Key[]> {
  let keys = parsed.get(armored);
  if (!keys) {
    keys = readKeys({ armoredKeys: armored });
    parsed.set(armored, keys);
    keys.catch(() => parsed.delete(armored));
  }
  try {
    return await keys;
  } catch (err) {
    throw new ConfigError('keys', `${origin}: not an OpenPGP public key: ${describeError(err)}`, { cause: err });
  }
}

/**
 * The keys of an armored text. With `pin`, only the key whose primary fingerprint is the pin is
 * returned, and a text holding no such key is refused (KeyRefusedError) rather than trusted.
 */
export async function readArmoredKeys(armored: string, origin: string, pin?: string): Promise<TrustedKey[]> {
  const keys = (await parseArmored(armored, origin)).map((key) => ({ key, fingerprint: normalizeFingerprint(key.getFingerprint()), origin }));
  if (pin === undefined) return keys;
  const wanted = normalizeFingerprint(pin);
  const match = keys.filter((k) => k.fingerprint === wanted);
  if (match.length === 0) throw new KeyRefusedError(origin, keys.map((k) => k.fingerprint), wanted);
  return match;
}

/** One key file, optionally checked against its pinned fingerprint. */
export async function readKeyFile(path: string, pin?: string): Promise<TrustedKey[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new ConfigError('keys', `${path}: cannot read key file: ${describeError(err)}`, { cause: err, code: 'CONFIG_UNREADABLE' });
  }
  return readArmoredKeys(text, path, pin);
}

/** `--keys DIR|FILE...`: every key in the files named and in the *.asc/*.gpg files of the folders named. */
export async function loadKeyring(paths: readonly string[]): Promise<Keyring> {
  const keys: TrustedKey[] = [];
  for (const path of paths) {
    const info = await stat(path).catch((err: unknown) => {
      throw new ConfigError('keys', `${path}: cannot read keys: ${describeError(err)}`, { cause: err, code: 'CONFIG_UNREADABLE' });
    });
    const files = info.isDirectory()
      ? (await readdir(path)).filter((f) => /\.(asc|gpg|pub|key)$/i.test(f)).sort().map((f) => join(path, f))
      : [path];
    for (const file of files) keys.push(...(await readKeyFile(file)));
  }
  return { keys };
}

/** The trusted key holding `keyId` (16 hex digits) as its primary key or a subkey, if any. */
export function findKey(keyring: Keyring, keyId: string): TrustedKey | undefined {
  const id = keyId.toLowerCase();
  return keyring.keys.find((k) => k.key.getKeyIDs().some((kid) => kid.toHex() === id));
}
