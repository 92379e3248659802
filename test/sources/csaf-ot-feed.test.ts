import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readChangesCsv } from '../../src/sources/csaf/directory.js';
import { readRolieFeed } from '../../src/sources/csaf/rolie.js';

// CISA's full OT ROLIE feed (2.6 MB, 2379 entries) is too large to copy into the fixtures: read
// from ../shared/corpus when present (corpus MANIFEST: csaf/cisa/OT/white/…), skipped otherwise.
const SHARED = new URL('../../../shared/corpus/csaf/cisa/OT/white/', import.meta.url);
const FEED = new URL('cisa-csaf-ot-feed-tlp-white.json', SHARED);
const CHANGES = new URL('changes.csv', SHARED);
const UPSTREAM = 'https://raw.githubusercontent.com/cisagov/CSAF/develop/csaf_files/OT/white/';

describe.skipIf(!existsSync(FEED) || !existsSync(CHANGES))('CISA OT feed (large, from ../shared/corpus)', () => {
  it('lists every entry with its document, signature and hash, and the same documents as changes.csv', () => {
    const body = readFileSync(FEED);
    const raw = JSON.parse(body.toString('utf8')) as { feed: { entry: { link: { rel?: string; href: string }[] }[] } };
    const selfLinks = raw.feed.entry.map((e) => e.link.find((l) => l.rel === 'self')!.href);
    const entries = readRolieFeed(body, `${UPSTREAM}cisa-csaf-ot-feed-tlp-white.json`, `${UPSTREAM}provider-metadata.json`);
    expect(entries.map((e) => e.url)).toEqual(selfLinks);
    expect(entries.every((e) => e.signatureUrl === `${e.url}.asc` && e.hashUrls?.includes(`${e.url}.sha512`))).toBe(true);
    const listed = readChangesCsv(readFileSync(CHANGES, 'utf8'), UPSTREAM);
    expect(new Set(listed.map((d) => d.url))).toEqual(new Set(selfLinks));
  });
});
