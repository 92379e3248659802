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
  for (const pin of settings.pinned) {
    if (pin.file === undefined) continue;
    const path = isAbsolute(pin.file) ? pin.file : resolve(settings.baseDir, pin.file);
    for (const k of await readKeyFile(path, pin.fingerprint)) keys.set(k.fingerprint, k);
  }
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
