// Maildir folders (https://cr.yp.to/proto/maildir.html): one message per file in new/ and cur/;
// a file's name is stable apart from the ":2,FLAGS" suffix a reader adds when it moves it to cur/.
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { SourceConfig } from '../../config/schema.js';
import { FetchError, describeError } from '../../errors.js';
import type { RawDocument } from '../../model/raw-document.js';
import type { FetchResult, SourceContext } from '../source.js';
import { remember, type MboxCursor } from './cursor.js';
import { messageKey } from '../../mail/message-id.js';

/** Upper bound on files one poll looks at, so a misconfigured path fails clearly instead of walking a disk. */
const MAX_FILES = 100_000;

export async function fetchMaildir(ctx: SourceContext, config: SourceConfig, folder: string, previous: MboxCursor, maxBytes: number): Promise<FetchResult> {
  const files = await listMaildir(folder, config.url);
  const knownFiles = new Set(previous.files ?? []);
  const seen = new Set(previous.seen);
  const documents: RawDocument[] = [];
  const problems: string[] = [];
  const fresh: string[] = [];
  const names: string[] = [];
  for (const { path, name } of files) {
    names.push(name);
    if (knownFiles.has(name)) continue;
    let raw: Uint8Array;
    try {
      raw = new Uint8Array(await readFile(path));
    } catch (err) {
      problems.push(`${config.id}: ${path}: cannot read: ${describeError(err)}`);
      names.pop(); // not read: try again next poll
      continue;
    }
    if (raw.byteLength > maxBytes) {
      problems.push(`${config.id}: ${path}: larger than ${maxBytes} bytes; skipped`);
      continue;
    }
    const key = messageKey(raw);
    if (seen.has(key)) continue;
    seen.add(key);
    fresh.push(key);
    documents.push({ sourceId: config.id, sourceKind: 'mbox', url: pathToFileURL(path).href, body: raw, contentType: 'message/rfc822', fetchedAt: ctx.clock.now() });
  }
  const cursor: MboxCursor = { offset: 0, prefixSha256: '', seen: remember(previous.seen, fresh), files: names };
  if (documents.length === 0) {
    for (const p of problems) ctx.log.warn({ source: config.id }, p);
    return { status: 'not-modified', validators: {}, cursor };
  }
  return { status: 'ok', documents, validators: {}, cursor, ...(problems.length > 0 ? { problems } : {}) };
}

/** The message files of new/ and cur/ (tmp/ holds mail still being delivered), sorted by name. */
async function listMaildir(folder: string, url: string): Promise<{ path: string; name: string }[]> {
  const out: { path: string; name: string }[] = [];
  let found = false;
  for (const sub of ['new', 'cur']) {
    let entries;
    try {
      entries = await readdir(join(folder, sub), { withFileTypes: true });
      found = true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw new FetchError('other', url, `${folder}/${sub}: cannot list (${(err as NodeJS.ErrnoException).code ?? 'error'})`, { cause: err });
    }
    for (const e of entries) if (e.isFile() && !e.name.startsWith('.')) out.push({ path: join(folder, sub, e.name), name: e.name.split(':')[0]! });
  }
  if (!found) throw new FetchError('not-found', url, `${folder}: not a Maildir (no new/ or cur/ folder)`);
  if (out.length > MAX_FILES) throw new FetchError('too-large', url, `${folder}: more than ${MAX_FILES} messages`);
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
