import { ParseError, describeError } from '../../errors.js';
import { gunzipIfNeeded, looksLikeMbox } from '../../mail/mbox.js';
import type { ParsedAdvisory } from '../../model/advisory.js';
import { normalizeAdvisory } from '../../normalize/normalize.js';
import { parseMailMessage, parseMboxArchive } from '../../parse/mbox/to-advisory.js';
import { loadKeyring, signatureInfo, verifyMail, type Keyring } from '../../verify/index.js';
import { CliFailure } from '../failure.js';

/**
 * `secwatch parse --format mbox FILE`: an mbox archive (or one .eml message); one advisory per
 * line per advisory mail, each with its own mail's signature verdict when keys are given. A
 * message that cannot be read is named on stderr and the others are still printed; exit 2 only
 * when no message could be read.
 */
export async function parseMboxFile(file: string, body: Uint8Array, options: { readonly sourceId?: string; readonly keys?: readonly string[] }): Promise<number> {
  const keyring = options.keys && options.keys.length > 0 ? await loadKeyring(options.keys) : undefined;
  const doc = { sourceId: options.sourceId ?? 'mbox', sourceKind: 'mbox' as const, url: file };
  const messages: { raw: Uint8Array; read: () => Promise<readonly ParsedAdvisory[]> }[] = [];
  const errors: string[] = [];
  if (looksLikeMbox(gunzipIfNeeded(body).bytes)) {
    const archive = await parseMboxArchive(body, doc);
    errors.push(...archive.problems);
    for (const o of archive.outcomes) {
      if ('error' in o) errors.push(o.error.message);
      else messages.push({ raw: o.message.raw, read: () => Promise.resolve(o.advisories) });
    }
    if (archive.outcomes.length === 0) throw new CliFailure(2, `${file}: no "From " separated message in the archive`);
  } else {
    messages.push({ raw: body, read: () => parseMailMessage(body, doc) });
  }
  let read = 0;
  for (const m of messages) {
    let advisories: readonly ParsedAdvisory[];
    try {
      advisories = await m.read();
    } catch (err) {
      if (!(err instanceof ParseError)) throw err;
      errors.push(describeError(err));
      continue;
    }
    read++;
    const signature = keyring && advisories.length > 0 ? await mailSignature(m.raw, keyring) : undefined;
    for (const a of advisories) process.stdout.write(`${JSON.stringify(normalizeAdvisory(signature ? { ...a, signature } : a))}\n`);
  }
  // Each error already names the file and the message.
  for (const e of errors) process.stderr.write(`${e}\n`);
  if (read === 0 && errors.length > 0) throw new CliFailure(2, `${file}: no message could be read`);
  return 0;
}

async function mailSignature(raw: Uint8Array, keyring: Keyring) {
  return signatureInfo((await verifyMail(raw, keyring)).verification);
}
