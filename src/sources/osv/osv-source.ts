// OSV records (https://ossf.github.io/osv-schema/): one JSON document or a zip of records (osv.dev's
// `<ecosystem>/all.zip`) over http(s)/file, or a file: folder of *.json records such as a checkout
// of github/advisory-database or golang/vulndb.
import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { SourceConfig } from '../../config/schema.js';
import { FetchError, describeError } from '../../errors.js';
import type { RawDocument } from '../../model/raw-document.js';
import { DEFAULT_ZIP_MAX_ENTRIES, DEFAULT_ZIP_MAX_TOTAL_BYTES, isZip, type ZipLimits } from '../../util/zip.js';
import { documentCap, type FetchResult, type Source, type SourceContext, type SourceDefaults } from '../source.js';
import { zipDocuments, type ZipEntryHashes } from './zip-archive.js';
import { folderOf } from '../local-folder.js';

/**
 * Folder sources remember each file's validator (size + mtime), so a poll reads only what changed;
 * zip sources each entry's hash, so a new archive yields only the records that changed.
 */
export interface OsvFolderCursor {
  readonly files: Readonly<Record<string, string>>;
  readonly entries?: ZipEntryHashes;
}

/** Upper bound on files one folder poll reads, so a misconfigured path ("/") fails clearly instead of walking a disk. */
const MAX_FILES = 200_000;

/**
 * An http(s) URL or a file is one document (a record or an array) or a zip of records, re-fetched
 * with a conditional GET; a file: folder is walked for *.json and only new or changed files are read,
 * at most `maxDocuments` of them per poll (the rest on the next polls). A file of the folder that
 * cannot be read is reported by name and the others still count.
 */
export function createOsvSource(config: SourceConfig, defaults: SourceDefaults): Source {
  const maxBytes = config.maxBytes ?? defaults.maxBytes;
  const maxDocuments = documentCap(config, defaults);
  const zipLimits: ZipLimits = {
    maxEntries: defaults.zip?.maxEntries ?? DEFAULT_ZIP_MAX_ENTRIES,
    maxTotalBytes: defaults.zip?.maxBytes ?? DEFAULT_ZIP_MAX_TOTAL_BYTES,
    maxEntryBytes: defaults.zip?.maxEntryBytes ?? maxBytes,
  };
  return {
    id: config.id,
    kind: config.kind,
    config,
    async fetch(ctx, state) {
      const folder = await folderOf(config.url);
      const cursor = readCursor(state?.cursor);
      if (folder !== undefined) return fetchFolder(ctx, folder, cursor);
      const res = await ctx.http.get(config.url, {
        accept: 'application/json, application/zip;q=0.9',
        maxBytes,
        ...(state?.validators ? { validators: state.validators } : {}),
        ...(ctx.signal ? { signal: ctx.signal } : {}),
      });
      if (res.status === 'not-modified') return { status: 'not-modified', validators: res.validators };
      if (isZip(res.body)) {
        const zip = zipDocuments({ sourceId: config.id, url: res.url, body: res.body, fetchedAt: ctx.clock.now() }, cursor.entries ?? {}, zipLimits);
        return { status: 'ok', validators: res.validators, documents: zip.documents, cursor: { files: {}, entries: zip.entries }, problems: zip.problems };
      }
      const doc = document(res.url, res.body, ctx, res.contentType);
      return { status: 'ok', validators: res.validators, documents: [doc] };
    },
  };

  async function fetchFolder(ctx: SourceContext, folder: string, previous: OsvFolderCursor): Promise<FetchResult> {
    const files = await listJson(folder, config.url);
    const seen: Record<string, string> = {};
    const documents: RawDocument[] = [];
    const problems: string[] = [];
    let deferred = 0;
    for (const path of files) {
      const rel = relative(folder, path).split(sep).join('/');
      const known = previous.files[rel];
      if (maxDocuments !== undefined && documents.length >= maxDocuments) {
        // The limit bounds what is read, not only what is ingested: the rest waits for the next poll,
        // each file keeping the validator it had so an unchanged one is not read then either.
        if (known !== undefined) seen[rel] = known;
        deferred++;
        continue;
      }
      const url = pathToFileURL(path).href;
      let res;
      try {
        res = await ctx.http.get(url, { maxBytes, ...(known === undefined ? {} : { validators: { etag: known } }) });
      } catch (err) {
        // One unreadable or oversized file is that file's problem; not remembered, so it is tried again next poll.
        if (!(err instanceof FetchError)) throw err;
        problems.push(`${config.id}: ${url}: ${describeError(err)}`);
        continue;
      }
      if (res.validators.etag !== undefined) seen[rel] = res.validators.etag;
      if (res.status === 'ok') documents.push(document(res.url, res.body, ctx, undefined));
    }
    if (deferred > 0) ctx.log.info({ source: config.id, read: documents.length, deferred }, 'OSV files left for the next polls (maxDocuments)');
    const cursor: OsvFolderCursor = { files: seen };
    if (documents.length === 0 && problems.length === 0) return { status: 'not-modified', validators: {}, cursor };
    return { status: 'ok', validators: {}, documents, cursor, ...(problems.length > 0 ? { problems } : {}) };
  }

  function document(url: string, body: Uint8Array, ctx: SourceContext, contentType: string | undefined): RawDocument {
    return { sourceId: config.id, sourceKind: config.kind, url, body, fetchedAt: ctx.clock.now(), ...(contentType ? { contentType } : {}) };
  }
}

/** Every *.json below `folder`, sorted so polls read files in a stable order. */
async function listJson(folder: string, url: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(folder, { recursive: true, withFileTypes: true });
  } catch (err) {
    throw new FetchError('other', url, `${folder}: cannot list (${(err as NodeJS.ErrnoException).code ?? 'error'})`, { cause: err });
  }
  const files = entries.filter((e) => e.isFile() && e.name.endsWith('.json')).map((e) => join(e.parentPath, e.name));
  if (files.length > MAX_FILES) throw new FetchError('too-large', url, `${folder}: more than ${MAX_FILES} .json files`);
  return files.sort();
}

function readCursor(value: unknown): OsvFolderCursor {
  const record = typeof value === 'object' && value !== null ? (value as { files?: unknown; entries?: unknown }) : {};
  const entries = strings(record.entries);
  return { files: strings(record.files), ...(Object.keys(entries).length > 0 ? { entries } : {}) };
}

function strings(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null) return {};
  return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string'));
}
