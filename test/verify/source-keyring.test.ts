// The pinned key files of a source are read once per poll (one settings object per poll), not once
// per document; a key file replaced on disk is seen by the next poll.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KeyRefusedError, sourceKeyring, verifyForSource, type SourceVerifySettings } from '../../src/verify/index.js';
import { corpus, corpusPath } from '../helpers/corpus.js';

const GOCSAF = 'csaf/gocsaf-simple-rolie-provider';
const GOCSAF_FPR = 'A8914CA2F11139C6A69A0018FB3CD9B15DE61596';
const OTHER_KEY = 'keys/openssl/openssl-release-signing-keys.debian-openssl-1.1.1w.asc';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function pinnedCopy(): { dir: string; settings: () => SourceVerifySettings } {
  const dir = mkdtempSync(join(tmpdir(), 'secwatch-keyring-'));
  dirs.push(dir);
  copyFileSync(corpusPath(`${GOCSAF}/openpgp/pubkey.asc`), join(dir, 'vendor.asc'));
  return { dir, settings: () => ({ policy: 'require', pinned: [{ fingerprint: GOCSAF_FPR, file: 'vendor.asc' }], baseDir: dir }) };
}

describe('sourceKeyring: pinned key files per poll', () => {
  it('reads the file once per settings object: a file swapped mid-poll changes nothing until the next poll', async () => {
    const { dir, settings } = pinnedCopy();
    const poll = settings();
    expect((await sourceKeyring(poll)).keys.map((k) => k.fingerprint)).toEqual([GOCSAF_FPR]);

    // The operator replaces the key file with one that does not hold the pinned key.
    copyFileSync(corpusPath(OTHER_KEY), join(dir, 'vendor.asc'));
    expect((await sourceKeyring(poll)).keys.map((k) => k.fingerprint)).toEqual([GOCSAF_FPR]);
    const doc = {
      sourceId: 'gocsaf',
      sourceKind: 'csaf' as const,
      url: 'https://corpus.invalid/a.json',
      body: corpus(`${GOCSAF}/white/avendor-advisory-0004.json`),
      fetchedAt: new Date(0),
      companions: { signature: { url: 'https://corpus.invalid/a.json.asc', body: corpus(`${GOCSAF}/white/avendor-advisory-0004.json.asc`) } },
    };
    expect((await verifyForSource(doc, poll)).result?.verification.status).toBe('verified');

    // The next poll makes new settings and reads the file again: the wrong key is refused.
    await expect(sourceKeyring(settings())).rejects.toBeInstanceOf(KeyRefusedError);
  });
});
