// OSV records (https://ossf.github.io/osv-schema/): one JSON document over http(s)/file, or a
// file: folder of *.json records such as a checkout of github/advisory-database or golang/vulndb.
import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { SourceConfig } from '../../config/schema.js';
import { FetchError } from '../../errors.js';
import type { RawDocument } from '../../model/raw-document.js';
import type { Source, SourceContext } from '../source.js';

/** Folder sources remember each file's validator (size + mtime), so a poll reads only what changed. */
export interface OsvFolderCursor {
  readonly files: Readonly<Record<string, string>>;
}

/** Upper bound on files one folder poll reads, so a misconfigured path ("/") fails clearly instead of walking a disk. */
const MAX_FILES = 200_000;

/**
 * An http(s) URL or a file is one document (a record or an array), re-fetched with a conditional
 * GET; a file: folder is walked for *.json and only new or changed files are read. Zip archives
 * are not read yet (the parser says so).
 */
export function createOsvSource(config: SourceConfig, defaults: { readonly maxBytes: number }): Source {
  const maxBytes = config.maxBytes ?? defaults.maxBytes;
  return {
    id: config.id,
    kind: config.kind,
    config,
    async fetch(ctx, state) {
      const folder = await folderOf(config.url);
      if (folder !== undefined) return fetchFolder(ctx, folder, readCursor(state?.cursor));
      const res = await ctx.http.get(config.url, {
        accept: 'application/json',
        maxBytes,
        ...(state?.validators ? { validators: state.validators } : {}),
        ...(ctx.signal ? { signal: ctx.signal } : {}),
      });
      if (res.status === 'not-modified') return { status: 'not-modified', validators: res.validators };
      const doc = document(res.url, res.body, ctx, res.contentType);
      return { status: 'ok', validators: res.validators, documents: [doc] };
    },
  };

  async function fetchFolder(ctx: SourceContext, folder: string, previous: OsvFolderCursor) {
    const files = await listJson(folder, config.url);
    const seen: Record<string, string> = {};
    const documents: RawDocument[] = [];
    for (const path of files) {
      const rel = relative(folder, path).split(sep).join('/');
      const known = previous.files[rel];
      const res = await ctx.http.get(pathToFileURL(path).href, { maxBytes, ...(known === undefined ? {} : { validators: { etag: known } }) });
      if (res.validators.etag !== undefined) seen[rel] = res.validators.etag;
      if (res.status === 'ok') documents.push(document(res.url, res.body, ctx, undefined));
    }
    const cursor: OsvFolderCursor = { files: seen };
    if (documents.length === 0) return { status: 'not-modified' as const, validators: {}, cursor };
    return { status: 'ok' as const, validators: {}, documents, cursor };
  }

  function document(url: string, body: Uint8Array, ctx: SourceContext, contentType: string | undefined): RawDocument {
    return { sourceId: config.id, sourceKind: config.kind, url, body, fetchedAt: ctx.clock.now(), ...(contentType ? { contentType } : {}) };
  }
}

/** The folder path when `url` is a file: URL naming a directory; undefined otherwise. */
async function folderOf(url: string): Promise<string | undefined> {
  if (!url.startsWith('file:')) return undefined;
  try {
    const path = fileURLToPath(url);
    return (await stat(path)).isDirectory() ? path : undefined;
  } catch {
    return undefined; // the HTTP client reports a missing file with its own error
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
  const files = typeof value === 'object' && value !== null ? (value as { files?: unknown }).files : undefined;
  if (typeof files !== 'object' || files === null) return { files: {} };
  return { files: Object.fromEntries(Object.entries(files).filter((e): e is [string, string] => typeof e[1] === 'string')) };
}
