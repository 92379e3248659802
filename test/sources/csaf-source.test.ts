import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/load.js';
import type { RawDocument } from '../../src/model/raw-document.js';
import { createHttpClient, type HttpClient } from '../../src/net/http-client.js';
import { createCsafSource } from '../../src/sources/csaf/csaf-source.js';
import { resolveEntry } from '../../src/sources/csaf/directory.js';
import type { FetchResult, Source } from '../../src/sources/source.js';
import type { SourceState } from '../../src/store/store.js';
import { fixedClock } from '../../src/util/clock.js';
import { silentLogger } from '../../src/util/logger.js';
import { corpus } from '../helpers/corpus.js';
import { CISA_FINGERPRINT, GOCSAF_FINGERPRINT, startCsafProvider, type CsafProvider } from './csaf-provider.js';

// CSAF 2.0 §7 distribution, polled from a real server on 127.0.0.1 that serves the corpus.

let provider: CsafProvider;
let http: HttpClient;
const ctx = () => ({ http, clock: fixedClock('2026-01-01T00:00:00Z'), log: silentLogger });
const IT = '/cisa/csaf_files/IT/white';

function source(id: string, path: string, extra: Record<string, unknown> = {}): Source {
  const config = resolveConfig({ sources: [{ id, kind: 'csaf', url: `${provider.url}${path}`, ...extra }] }).sources[0]!;
  return createCsafSource(config, { maxBytes: 10_000_000 });
}

/** Poll like the pipeline does: the cursor of one poll is the state of the next. */
async function poll(s: Source, previous?: FetchResult): Promise<FetchResult & { status: 'ok' }> {
  const state: SourceState | undefined = previous ? { sourceId: s.id, validators: previous.validators, cursor: previous.cursor } : undefined;
  const result = await s.fetch(ctx(), state);
  if (result.status !== 'ok') throw new Error('expected ok');
  return result;
}
const paths = (docs: readonly RawDocument[]) => docs.map((d) => new URL(d.url).pathname).sort();

beforeAll(async () => {
  provider = await startCsafProvider();
  http = createHttpClient({ timeoutMs: 5000, maxBytes: 10_000_000, maxRedirects: 2, userAgent: 'secwatch-test' });
});
afterAll(async () => {
  await http.close();
  await provider.close();
});
beforeEach(() => {
  for (const p of [`${IT}/cisa-csaf-it-feed-tlp-white.json`, '/gocsaf/openpgp/pubkey.asc', '/cisa/provider-metadata.json']) provider.set(p, undefined);
});

describe('gocsaf test provider (ROLIE, metadata with {{.URL}} placeholders)', () => {
  it('fetches its document by the self link, with signature, both hashes and the pinned key', async () => {
    const first = await poll(source('acme', '/gocsaf/provider-metadata.json'));
    expect(first.problems).toBeUndefined();
    expect(paths(first.documents)).toEqual(['/gocsaf/white/avendor-advisory-0004.json']);
    const doc = first.documents[0]!;
    expect(Buffer.from(doc.body).equals(corpus('csaf/gocsaf-simple-rolie-provider/white/avendor-advisory-0004.json'))).toBe(true);
    const c = doc.companions!;
    expect(Buffer.from(c.signature!.body!).toString()).toBe(corpus('csaf/gocsaf-simple-rolie-provider/white/avendor-advisory-0004.json.asc').toString());
    expect([c.sha256?.url, c.sha512?.url].map((u) => u && new URL(u).pathname)).toEqual([
      '/gocsaf/white/avendor-advisory-0004.json.sha256',
      '/gocsaf/white/avendor-advisory-0004.json.sha512',
    ]);
    expect(c.keys?.map((k) => k.fingerprint)).toEqual([GOCSAF_FINGERPRINT]);
  });

  it('fetches nothing new on the second poll (only metadata, key and feed are read)', async () => {
    const s = source('acme', '/gocsaf/provider-metadata.json');
    const first = await poll(s);
    const before = provider.gets().length;
    const second = await poll(s, first);
    expect(second.documents).toEqual([]);
    expect(provider.gets().slice(before).sort()).toEqual(['/gocsaf/openpgp/pubkey.asc', '/gocsaf/provider-metadata.json', '/gocsaf/white/white-feed.json']);
  });

  it('refuses a key at the metadata URL whose fingerprint is not the announced one', async () => {
    provider.set('/gocsaf/openpgp/pubkey.asc', corpus('keys/debian/jmm-B6E62F3D12AC38495C0DA90510C293B6C37C4E36.asc'));
    const result = await poll(source('acme', '/gocsaf/provider-metadata.json'));
    expect(result.documents[0]!.companions?.keys).toBeUndefined();
    expect(result.problems).toEqual([
      `acme: ${provider.url}/gocsaf/openpgp/pubkey.asc: provider-metadata ${provider.url}/gocsaf/openpgp/pubkey.asc: primary key fingerprint B6E62F3D12AC38495C0DA90510C293B6C37C4E36 is not the pinned ${GOCSAF_FINGERPRINT}; key refused`,
    ]);
  });

  it('fetches no companions and no keys under verify: off', async () => {
    const result = await poll(source('acme', '/gocsaf/provider-metadata.json', { verify: 'off' }));
    expect(result.documents[0]!.companions).toEqual({});
  });
});

describe('CISA (ROLIE with "ref" links, absolute URLs, an entry that is not there)', () => {
  it('fetches the three documents with their .asc and .sha512, and names the 404 entry and the missing key', async () => {
    const result = await poll(source('cisa-it', '/cisa/provider-metadata.json'));
    expect(paths(result.documents)).toEqual(['va-24-201-01', 'va-24-254-01', 'va-24-254-02'].map((d) => `${IT}/2024/${d}.json`));
    for (const d of result.documents) {
      expect(d.companions?.signature?.body).toBeDefined();
      expect(d.companions?.sha512?.url).toBe(`${d.url}.sha512`);
      expect(d.companions?.sha256).toBeUndefined();
    }
    expect(result.problems).toEqual([
      `cisa-it: ${provider.url}/cisa/openpgp/cisa.asc: HTTP 404 Not Found`,
      `cisa-it: ${provider.url}${IT}/2024/va-24-262-01.json: HTTP 404 Not Found`,
    ]);
  });

  it('polls twice: the re-published feed (same dates, other format) brings nothing; a changed document comes once', async () => {
    const s = source('cisa-it', '/cisa/provider-metadata.json');
    const first = await poll(s);
    // The 2024-10-03 publication of the same feed writes its dates without "Z".
    provider.set(`${IT}/cisa-csaf-it-feed-tlp-white.json`, corpus('cisa-rss/cisa-csaf-it-feed-tlp-white.2024-10-03.json').toString('utf8').replaceAll('https://raw.githubusercontent.com/cisagov/CSAF/develop/', `${provider.url}/cisa/`));
    const second = await poll(s, first);
    expect(second.documents).toEqual([]);
    // Only the entry that failed is tried again.
    expect(second.problems).toHaveLength(2);

    const feed = provider.gets().length;
    const bumped = corpus('csaf/cisa/IT/white/cisa-csaf-it-feed-tlp-white.json').toString('utf8').replaceAll('https://raw.githubusercontent.com/cisagov/CSAF/develop/', `${provider.url}/cisa/`).replace('"2024-09-18T16:00:00Z"', '"2024-11-01T09:00:00Z"');
    provider.set(`${IT}/cisa-csaf-it-feed-tlp-white.json`, bumped);
    const third = await poll(s, second);
    expect(paths(third.documents)).toEqual([`${IT}/2024/va-24-201-01.json`]);
    expect(provider.gets().slice(feed).filter((p) => p.includes('va-24-201-01'))).toHaveLength(3);
    const fourth = await poll(s, third);
    expect(fourth.documents).toEqual([]);
  });

  it('still processes the good feed when another feed of the provider is not valid JSON', async () => {
    const meta = JSON.parse(await (await fetch(`${provider.url}/cisa/provider-metadata.json`)).text()) as { distributions: { rolie: { feeds: { url: string }[] } }[] };
    meta.distributions[0]!.rolie.feeds.push({ url: `${provider.url}/cisa/broken-feed.json` });
    provider.set('/cisa/provider-metadata.json', JSON.stringify(meta));
    provider.set('/cisa/broken-feed.json', corpus('cisa-rss/cisa-csaf-it-feed-tlp-white.2024-09-10.MALFORMED-as-published.json'));
    const result = await poll(source('cisa-it', '/cisa/provider-metadata.json'));
    expect(result.documents).toHaveLength(3);
    expect(result.problems).toContainEqual(expect.stringMatching(new RegExp(`^cisa-it: ${provider.url}/cisa/broken-feed.json: ROLIE feed .* is not valid JSON`)));
    provider.set('/cisa/broken-feed.json', undefined);
  });
});

describe('directory distribution (changes.csv, index.txt)', () => {
  it('reads CISA changes.csv, whose paths start at the repository root, and probes companions', async () => {
    const result = await poll(source('cisa-dir', '/cisa-dir/provider-metadata.json'));
    expect(paths(result.documents)).toEqual(['va-24-201-01', 'va-24-254-01', 'va-24-254-02'].map((d) => `${IT}/2024/${d}.json`));
    const d = result.documents[0]!;
    expect(d.companions?.sha512?.body).toBeDefined();
    expect(d.companions?.sha256).toBeUndefined(); // probed, not there, not advertised
    expect(result.problems).toEqual([expect.stringContaining(`${IT}/2024/va-24-262-01.json: `)]);
    const second = await poll(source('cisa-dir', '/cisa-dir/provider-metadata.json'), result);
    expect(second.documents).toEqual([]);
  });

  it('resolves entries relative to the folder, or from where the folder path repeats', () => {
    expect(resolveEntry('2024/a.json', 'https://x.example/csaf/white/')).toBe('https://x.example/csaf/white/2024/a.json');
    expect(resolveEntry('csaf_files/IT/white/2024/a.json', 'https://x.example/cisa/csaf_files/IT/white/')).toBe('https://x.example/cisa/csaf_files/IT/white/2024/a.json');
  });

  it('uses the fingerprints of the config instead of the metadata ones', async () => {
    const keyGets = () => provider.gets().filter((p) => p === '/gocsaf/openpgp/pubkey.asc').length;
    const before = keyGets();
    const result = await poll(source('acme', '/gocsaf/provider-metadata.json', { keys: [{ fingerprint: CISA_FINGERPRINT }] }));
    expect(result.documents[0]!.companions?.keys).toBeUndefined();
    // The metadata's key is not pinned by the config, so it is not even fetched.
    expect(keyGets()).toBe(before);
  });
});
