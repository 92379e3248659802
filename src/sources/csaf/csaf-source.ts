// CSAF 2.0 §7 (distributing CSAF documents): https://docs.oasis-open.org/csaf/csaf/v2.0/os/csaf-v2.0-os.html#7-distributing-csaf-documents
import type { SourceConfig } from '../../config/schema.js';
import { FetchError, ParseError, describeError } from '../../errors.js';
import type { AnnouncedKey, CompanionFile, DocumentCompanions, RawDocument } from '../../model/raw-document.js';
import type { GetOptions } from '../../net/http-client.js';
import { mapLimit } from '../../util/concurrency.js';
import { normalizeFingerprint, readArmoredKeys } from '../../verify/index.js';
import { documentCap, type Source, type SourceContext, type SourceDefaults } from '../source.js';
import { readChangesCsv, readIndexTxt } from './directory.js';
import { dueDocuments } from './due.js';
import { readProviderMetadata, type ProviderMetadata } from './provider-metadata.js';
import { readRolieFeed, type ListedDocument } from './rolie.js';

/** Documents fetched at once from one provider. */
const CONCURRENCY = 4;

/** What the source remembers: each document URL with the `updated` it had when fetched. */
export interface CsafCursor {
  readonly seen: Readonly<Record<string, string>>;
}

/**
 * A CSAF provider: provider-metadata.json → ROLIE feeds (else changes.csv / index.txt) → the
 * documents that are new or whose `updated` changed, each with its .asc/.sha256/.sha512 and the
 * provider's announced keys. A feed or document that fails is reported (source and URL) and
 * retried next poll; the others are still returned.
 */
export function createCsafSource(config: SourceConfig, defaults: SourceDefaults): Source {
  const maxBytes = config.maxBytes ?? defaults.maxBytes;
  const maxDocuments = documentCap(config, defaults);
  const verifying = config.kind === 'csaf' && config.verify !== 'off';
  const pinnedByConfig = config.kind === 'csaf' && config.keys ? config.keys.map((k) => k.fingerprint) : undefined;
  return {
    id: config.id,
    kind: 'csaf',
    config,
    async fetch(ctx, state) {
      const get = (url: string, accept: string): ReturnType<SourceContext['http']['get']> =>
        ctx.http.get(url, { accept, maxBytes, ...(ctx.signal ? { signal: ctx.signal } : {}) } satisfies GetOptions);
      const problems: string[] = [];
      const report = (url: string, err: unknown): void => {
        const cause = describeError(err);
        // Fetch errors already start with the URL; say it once.
        const line = cause.startsWith(url) ? `${config.id}: ${cause}` : `${config.id}: ${url}: ${cause}`;
        problems.push(line);
        ctx.log.warn({ source: config.id, url, err: describeError(err) }, 'CSAF document or listing not processed');
      };

      const metaRes = await ctx.http.get(config.url, { accept: 'application/json', maxBytes, ...(ctx.signal ? { signal: ctx.signal } : {}) });
      if (metaRes.status !== 'ok') throw new FetchError('other', config.url, `${config.url}: unexpected 304 to an unconditional GET`);
      const metadata = readProviderMetadata(metaRes.body, metaRes.url);
      const keys = verifying ? await announcedKeys(metadata, pinnedByConfig, get, report) : [];

      const listed = await listDocuments(metadata, metaRes.url, get, report);
      const previous = readCursor(state?.cursor);
      const { due, deferred } = dueDocuments(listed, previous.seen, { since: config.kind === 'csaf' ? config.since : undefined, maxDocuments });
      if (deferred > 0) ctx.log.info({ source: config.id, fetching: due.length, deferred }, 'CSAF documents left for the next polls (maxDocuments)');
      const seen: Record<string, string> = { ...previous.seen };
      const fetched = await mapLimit(due, CONCURRENCY, async (entry): Promise<RawDocument | undefined> => {
        try {
          const res = await get(entry.url, 'application/json');
          if (res.status !== 'ok') throw new Error('unexpected 304 to an unconditional GET');
          const companions = verifying ? await fetchCompanions(entry, get) : {};
          seen[entry.url] = entry.updated;
          return {
            sourceId: config.id,
            sourceKind: 'csaf',
            url: res.url,
            body: res.body,
            fetchedAt: ctx.clock.now(),
            ...(res.contentType ? { contentType: res.contentType } : {}),
            companions: keys.length > 0 ? { ...companions, keys } : companions,
          };
        } catch (err) {
          report(entry.url, err);
          return undefined;
        }
      });
      const documents = fetched.filter((d): d is RawDocument => d !== undefined);
      const cursor: CsafCursor = { seen };
      return { status: 'ok', documents, validators: {}, cursor, ...(problems.length > 0 ? { problems } : {}) };
    },
  };
}

type Get = (url: string, accept: string) => ReturnType<SourceContext['http']['get']>;
type Report = (url: string, err: unknown) => void;

/**
 * Every document the provider lists: its ROLIE feeds, else its directories' changes.csv (or index.txt).
 * A listing that fails is reported and the others still count; when every listing fails the poll
 * fails (nothing could be listed, so "ok, 0 documents" would hide a broken source).
 */
async function listDocuments(metadata: ProviderMetadata, providerUrl: string, get: Get, report: Report): Promise<ListedDocument[]> {
  const out = new Map<string, ListedDocument>();
  const failed: { url: string; err: unknown }[] = [];
  const fail = (url: string, err: unknown): void => {
    failed.push({ url, err });
    report(url, err);
  };
  for (const feedUrl of metadata.rolieFeeds) {
    try {
      const res = await get(feedUrl, 'application/json');
      if (res.status === 'ok') for (const d of readRolieFeed(res.body, res.url, providerUrl)) out.set(d.url, d);
    } catch (err) {
      fail(feedUrl, err);
    }
  }
  if (metadata.rolieFeeds.length > 0) {
    if (failed.length === metadata.rolieFeeds.length) throw everyListingFailed(failed);
    return [...out.values()];
  }
  for (const dir of metadata.directories) {
    const folder = dir.endsWith('/') ? dir : `${dir}/`;
    try {
      const changes = await get(`${folder}changes.csv`, 'text/csv').catch((err: unknown) => {
        if (!(err instanceof FetchError && (err.status === 404 || err.kind === 'not-found'))) throw err;
        return undefined;
      });
      const entries =
        changes?.status === 'ok'
          ? readChangesCsv(new TextDecoder().decode(changes.body), folder)
          : await get(`${folder}index.txt`, 'text/plain').then((r) => (r.status === 'ok' ? readIndexTxt(new TextDecoder().decode(r.body), folder) : []));
      for (const d of entries) if (!out.has(d.url)) out.set(d.url, d);
    } catch (err) {
      fail(folder, err);
    }
  }
  if (metadata.directories.length > 0 && failed.length === metadata.directories.length) throw everyListingFailed(failed);
  return [...out.values()];
}

/** One listing: its own error (it names the URL). Several: one error of the same kind naming each. */
function everyListingFailed(failed: readonly { url: string; err: unknown }[]): Error {
  const first = failed[0]!.err;
  if (failed.length === 1 && first instanceof Error) return first;
  const lines = failed.map((f) => {
    const cause = describeError(f.err);
    return cause.startsWith(f.url) ? cause : `${f.url}: ${cause}`;
  });
  const message = `no listing could be read: ${lines.join('; ')}`;
  // The code is a fetch failure's when any listing could not be downloaded, else the parse failure's.
  const fetchFailure = failed.find((f) => f.err instanceof FetchError);
  if (fetchFailure === undefined) return new ParseError('csaf', message, { cause: first });
  const err = fetchFailure.err as FetchError;
  return new FetchError(err.kind, fetchFailure.url, message, { cause: err, ...(err.status === undefined ? {} : { status: err.status }) });
}

/**
 * The provider's announced keys whose fingerprint is pinned (by the config when it lists keys,
 * else by the metadata). A key whose primary fingerprint is not its pin is refused and reported.
 */
async function announcedKeys(metadata: ProviderMetadata, pinnedByConfig: readonly string[] | undefined, get: Get, report: Report): Promise<AnnouncedKey[]> {
  const keys: AnnouncedKey[] = [];
  for (const k of metadata.keys) {
    if (k.fingerprint === undefined) continue;
    const pin = normalizeFingerprint(k.fingerprint);
    if (pinnedByConfig && !pinnedByConfig.includes(pin)) continue;
    try {
      const res = await get(k.url, 'application/pgp-keys, text/plain');
      if (res.status !== 'ok') continue;
      const armored = new TextDecoder().decode(res.body);
      await readArmoredKeys(armored, `provider-metadata ${k.url}`, pin);
      keys.push({ url: k.url, fingerprint: pin, armored });
    } catch (err) {
      // KeyRefusedError names the key URL, the fingerprint found and the pin.
      report(k.url, err);
    }
  }
  return keys;
}

/** Linked companions, or the §7.1.18/§7.1.19 names next to the document when the listing links none. */
async function fetchCompanions(entry: ListedDocument, get: Get): Promise<DocumentCompanions> {
  const hashUrls = entry.hashUrls ?? [`${entry.url}.sha256`, `${entry.url}.sha512`];
  const advertisedHashes = entry.hashUrls !== undefined;
  const out: { signature?: CompanionFile; sha256?: CompanionFile; sha512?: CompanionFile } = {};
  const signature = await fetchCompanion(entry.signatureUrl ?? `${entry.url}.asc`, get);
  if (signature.body !== undefined || entry.signatureUrl !== undefined) out.signature = signature;
  for (const url of hashUrls) {
    const algorithm = /\.sha512$/i.test(url) ? 'sha512' : /\.sha256$/i.test(url) ? 'sha256' : undefined;
    if (algorithm === undefined) continue;
    const file = await fetchCompanion(url, get);
    if (file.body !== undefined || advertisedHashes) out[algorithm] = file;
  }
  return out;
}

async function fetchCompanion(url: string, get: Get): Promise<CompanionFile> {
  try {
    const res = await get(url, 'text/plain, application/pgp-signature, */*');
    return res.status === 'ok' ? { url, body: res.body } : { url };
  } catch (err) {
    if (err instanceof FetchError && (err.status === 404 || err.kind === 'not-found')) return { url };
    throw err;
  }
}

function readCursor(value: unknown): CsafCursor {
  const seen = (value as { seen?: unknown } | undefined)?.seen;
  return seen !== null && typeof seen === 'object' ? { seen: seen as Record<string, string> } : { seen: {} };
}
