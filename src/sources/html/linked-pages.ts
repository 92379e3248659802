// List page → advisory links → advisory pages, for sources whose publisher has no feed. Each page
// is fetched with its own conditional GET (validators kept in the cursor), so a poll downloads
// only pages that changed; a page that fails is reported by name and the others still count.
// A file: URL naming a folder stands for the list page: every file in it is one page.
import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { SourceConfig } from '../../config/schema.js';
import { FetchError, describeError } from '../../errors.js';
import type { RawDocument } from '../../model/raw-document.js';
import type { GetResult, Validators } from '../../net/http-client.js';
import { advisoryLinks } from '../../parse/html/index.js';
import type { SourceState } from '../../store/store.js';
import { documentCap, type FetchResult, type Source, type SourceContext, type SourceDefaults } from '../source.js';
import { folderOf } from '../local-folder.js';

/** Upper bound on the files of a folder source, so a misconfigured path fails clearly instead of walking a disk. */
const MAX_FOLDER_FILES = 10_000;

/** Validators per advisory page URL, from the previous poll. */
export interface PagesCursor {
  readonly pages: Readonly<Record<string, Validators>>;
}

export interface LinkedPagesOptions {
  readonly config: SourceConfig;
  readonly links: string | undefined;
  readonly maxPages: number;
  /** Most pages downloaded (not answered "not modified") per poll; the rest wait for the next polls. */
  readonly maxDocuments?: number | undefined;
  readonly maxBytes: number;
  readonly accept: string;
}

/** Fetch the list page and, when `links` is set, the advisory pages it links to. */
export async function fetchLinkedPages(ctx: SourceContext, state: SourceState | undefined, o: LinkedPagesOptions): Promise<FetchResult> {
  const { config } = o;
  const get = (url: string, validators: Validators | undefined): Promise<GetResult> =>
    ctx.http.get(url, {
      accept: o.accept,
      maxBytes: o.maxBytes,
      ...(validators ? { validators } : {}),
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    });
  const folder = await folderOf(config.url);
  if (folder !== undefined) return fetchFolderPages(ctx, state, o, folder, get);
  const list = await get(config.url, state?.validators);
  if (list.status === 'not-modified') return { status: 'not-modified', validators: list.validators, ...(state?.cursor ? { cursor: state.cursor } : {}) };
  const doc = (url: string, body: Uint8Array, contentType: string | undefined): RawDocument => ({
    sourceId: config.id,
    sourceKind: config.kind,
    url,
    body,
    fetchedAt: ctx.clock.now(),
    ...(contentType ? { contentType } : {}),
  });
  if (!o.links) return { status: 'ok', validators: list.validators, documents: [doc(list.url, list.body, list.contentType)] };

  const links = advisoryLinks(list.body, list.url, o.links);
  // Links into the list page itself ("#CVE-2017-0003") mean the list page is the advisory page.
  const pages = [...new Set(links.map((l) => l.split('#')[0]!))].slice(0, o.maxPages);
  const previous = readCursor(state?.cursor);
  const seen: Record<string, Validators> = {};
  const documents: RawDocument[] = [];
  const problems: string[] = [];
  const errors: unknown[] = [];
  let deferred = 0;
  for (const page of pages) {
    if (o.maxDocuments !== undefined && documents.length >= o.maxDocuments) {
      // The limit bounds downloads: later pages keep their validators and wait for the next poll.
      const known = previous.pages[page];
      if (known !== undefined) seen[page] = known;
      deferred++;
      continue;
    }
    if (page === list.url.split('#')[0]) {
      documents.push(doc(list.url, list.body, list.contentType));
      continue;
    }
    try {
      const res = await get(page, previous.pages[page]);
      seen[page] = res.validators;
      if (res.status === 'ok') documents.push(doc(res.url, res.body, res.contentType));
    } catch (err) {
      if (!(err instanceof FetchError)) throw err;
      errors.push(err);
      problems.push(`${config.id}: ${page}: ${describeError(err)}`);
      ctx.log.warn({ source: config.id, url: page, err: describeError(err) }, 'advisory page not fetched');
    }
  }
  if (errors.length > 0 && errors.length === pages.length) throw errors[0];
  const cursor: PagesCursor = { pages: seen };
  // Pages left for later: the list page's validators are held back so the next poll reads it again.
  const validators = deferred > 0 ? (state?.validators ?? {}) : list.validators;
  if (deferred > 0) ctx.log.info({ source: config.id, fetched: documents.length, deferred }, 'linked pages left for the next polls (maxDocuments)');
  if (documents.length === 0 && problems.length === 0) return { status: 'not-modified', validators, cursor };
  return { status: 'ok', validators, documents, cursor, ...(problems.length > 0 ? { problems } : {}) };
}

/**
 * A folder of pages (saved advisories, a synced copy of a vendor's pages): every file below it is
 * one page, read again only when its size or mtime changed (the validators the file: client gives).
 * A file that cannot be read is reported by name and not remembered, so the next poll tries again.
 */
async function fetchFolderPages(ctx: SourceContext, state: SourceState | undefined, o: LinkedPagesOptions, folder: string, get: (url: string, v: Validators | undefined) => Promise<GetResult>): Promise<FetchResult> {
  const { config } = o;
  const files = await listFolder(folder, config.url);
  const previous = readCursor(state?.cursor);
  const seen: Record<string, Validators> = {};
  const documents: RawDocument[] = [];
  const problems: string[] = [];
  for (const path of files) {
    const url = pathToFileURL(path).href;
    const key = relative(folder, path).split(sep).join('/');
    if (o.maxDocuments !== undefined && documents.length >= o.maxDocuments) {
      const known = previous.pages[key];
      if (known !== undefined) seen[key] = known;
      continue;
    }
    try {
      const res = await get(url, previous.pages[key]);
      seen[key] = res.validators;
      if (res.status === 'ok') documents.push({ sourceId: config.id, sourceKind: config.kind, url: res.url, body: res.body, fetchedAt: ctx.clock.now(), ...(res.contentType ? { contentType: res.contentType } : {}) });
    } catch (err) {
      if (!(err instanceof FetchError)) throw err;
      problems.push(`${config.id}: ${url}: ${describeError(err)}`);
      ctx.log.warn({ source: config.id, url, err: describeError(err) }, 'file in the source folder not read');
    }
  }
  const cursor: PagesCursor = { pages: seen };
  if (documents.length === 0 && problems.length === 0) return { status: 'not-modified', validators: {}, cursor };
  return { status: 'ok', validators: {}, documents, cursor, ...(problems.length > 0 ? { problems } : {}) };
}

/** Every regular, non-hidden file below `folder`, sorted so polls read them in a stable order. */
async function listFolder(folder: string, url: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(folder, { recursive: true, withFileTypes: true });
  } catch (err) {
    throw new FetchError('other', url, `${folder}: cannot list (${(err as NodeJS.ErrnoException).code ?? 'error'})`, { cause: err });
  }
  const files = entries.filter((e) => e.isFile() && !e.name.startsWith('.')).map((e) => join(e.parentPath, e.name));
  if (files.length > MAX_FOLDER_FILES) throw new FetchError('too-large', url, `${folder}: more than ${MAX_FOLDER_FILES} files`);
  return files.sort();
}

function readCursor(value: unknown): PagesCursor {
  const pages = typeof value === 'object' && value !== null ? (value as { pages?: unknown }).pages : undefined;
  if (typeof pages !== 'object' || pages === null) return { pages: {} };
  return { pages: pages as Record<string, Validators> };
}

/**
 * A source that fetches a page, or a list page and the pages it links to: the html and advance
 * kinds differ only in what they ask the server for (`accept`) and in the parser that reads them.
 */
export function createLinkedPagesSource(config: SourceConfig, defaults: SourceDefaults, accept: string): Source {
  const listing = config.kind === 'html' || config.kind === 'advance' ? config : undefined;
  return {
    id: config.id,
    kind: config.kind,
    config,
    fetch: (ctx, state) =>
      fetchLinkedPages(ctx, state, {
        config,
        links: listing?.links,
        maxPages: listing?.maxPages ?? 50,
        maxDocuments: documentCap(config, defaults),
        maxBytes: config.maxBytes ?? defaults.maxBytes,
        accept,
      }),
  };
}
