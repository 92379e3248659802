import { isAbsolute, resolve } from 'node:path';
import type { SourceConfig } from '../config/schema.js';
import type { AnnouncedKey } from '../model/raw-document.js';
import { KeyRefusedError, readArmoredKeys, readKeyFile, type Keyring, type TrustedKey } from './keyring.js';
import type { VerifyPolicy } from './policy.js';
import { normalizeFingerprint } from './verification.js';

/** How one source is verified: its policy and the keys an operator pinned for it. */
export interface SourceVerifySettings {
  readonly policy: VerifyPolicy;
  readonly pinned: readonly { readonly fingerprint: string; readonly file?: string | undefined }[];
  /** Folder key files are relative to (the config file's). */
  readonly baseDir: string;
}

/** Sources without a `verify` setting are not checked: their formats carry no signatures. */
export function verifySettings(config: SourceConfig, baseDir: string): SourceVerifySettings {
  switch (config.kind) {
    case 'csaf':
    case 'mbox':
      return { policy: config.verify, pinned: config.keys ?? [], baseDir };
    case 'kev':
    case 'rss':
    case 'cvrf':
    case 'osv':
    case 'html': // pages without a feed carry no signatures
    case 'advance':
      return { policy: 'off', pinned: [], baseDir };
  }
}

/**
 * The keyring for a source's document: key files pinned in the config (a file whose key is not
 * the pinned one is refused: KeyRefusedError), plus keys the publisher announced whose primary
 * fingerprint is pinned — by the config when it lists keys, else by the announcement itself.
 */
export async function sourceKeyring(settings: SourceVerifySettings, announced: readonly AnnouncedKey[] = []): Promise<Keyring> {
  const keys = new Map<string, TrustedKey>();
  for (const k of await pinnedKeys(settings)) keys.set(k.fingerprint, k);
  const configured = new Set(settings.pinned.map((p) => normalizeFingerprint(p.fingerprint)));
  for (const a of announced) {
    const pin = normalizeFingerprint(a.fingerprint);
    if (a.armored === undefined || keys.has(pin) || (configured.size > 0 && !configured.has(pin))) continue;
    try {
      for (const k of await readArmoredKeys(a.armored, `provider-metadata ${a.url}`, pin)) keys.set(k.fingerprint, k);
    } catch (err) {
      // The source reported the refusal when it fetched the key; signatures by it stay unknown-key.
      if (!(err instanceof KeyRefusedError)) throw err;
    }
  }
  return { keys: [...keys.values()] };
}

// The pipeline makes one settings object per poll (sourceVerifySettings), so the pinned key files
// are read once per poll, not once per document: reading the file cost 10–25 % of a whole check
// (bench/openpgp.ts), and a key file replaced on disk is still seen at the next poll.
const pinnedByPoll = new WeakMap<SourceVerifySettings, Promise<TrustedKey[]>>();

function pinnedKeys(settings: SourceVerifySettings): Promise<TrustedKey[]> {
  let keys = pinnedByPoll.get(settings);
  if (!keys) {
    keys = readPinned(settings);
    pinnedByPoll.set(settings, keys);
  }
  return keys;
}

async function readPinned(settings: SourceVerifySettings): Promise<TrustedKey[]> {
  const keys: TrustedKey[] = [];
  for (const pin of settings.pinned) {
    if (pin.file === undefined) continue;
    const path = isAbsolute(pin.file) ? pin.file : resolve(settings.baseDir, pin.file);
    keys.push(...(await readKeyFile(path, pin.fingerprint)));
  }
  return keys;
}
