// DKIM signing settings (RFC 6376): the domain and selector are config, the private key a secret
// from the environment — the PEM itself, or the path of a file holding it.
import { readFileSync } from 'node:fs';
import { ConfigError, describeError } from '../errors.js';
import type { Env } from './load.js';

/** What nodemailer's `dkim` option needs (https://nodemailer.com/dkim/). */
export interface DkimKey {
  readonly domainName: string;
  readonly keySelector: string;
  readonly privateKey: string;
}

/** `email.dkim` + SECWATCH_DKIM_PRIVATE_KEY (PEM) or SECWATCH_DKIM_PRIVATE_KEY_FILE (path) → signing key. */
export function resolveDkim(dkim: { domain: string; selector: string } | undefined, env: Env, label: string): DkimKey | undefined {
  if (!dkim) return undefined;
  let privateKey = env.SECWATCH_DKIM_PRIVATE_KEY?.replace(/\\n/g, '\n');
  const file = env.SECWATCH_DKIM_PRIVATE_KEY_FILE;
  if (!privateKey && file) {
    try {
      privateKey = readFileSync(file, 'utf8');
    } catch (err) {
      throw new ConfigError('email.dkim', `${label}: email.dkim: cannot read SECWATCH_DKIM_PRIVATE_KEY_FILE: ${describeError(err)}`, { cause: err });
    }
  }
  if (!privateKey) {
    throw new ConfigError('email.dkim', `${label}: email.dkim: set SECWATCH_DKIM_PRIVATE_KEY (PEM) or SECWATCH_DKIM_PRIVATE_KEY_FILE (path)`);
  }
  if (!/-----BEGIN (?:RSA )?PRIVATE KEY-----/.test(privateKey)) {
    throw new ConfigError('email.dkim', `${label}: email.dkim: the DKIM private key is not a PEM private key`);
  }
  return { domainName: dkim.domain, keySelector: dkim.selector, privateKey };
}
