// Mailing-list archives (DESIGN.md `mbox`): an mbox or mbox.gz over http(s) or file: (Mailman /
// pipermail monthly archives, Debian list archives), or a Maildir folder. Each new message is one
// document (message/rfc822); the verify stage checks its signatures and the mbox parser reads it.
import type { SourceConfig } from '../../config/schema.js';
import { gunzipIfNeeded, splitMbox, type MboxFormat } from '../../mail/mbox.js';
import type { RawDocument } from '../../model/raw-document.js';
import { sha256Hex } from '../../util/hash.js';
import type { FetchResult, Source, SourceContext } from '../source.js';
import { readMboxCursor, remember, type MboxCursor } from './cursor.js';
import { fetchMaildir } from './maildir.js';
import { messageIdOf, messageKey } from '../../mail/message-id.js';
import { folderOf } from '../local-folder.js';

/**
 * Incremental: the cursor keeps the offset of the last message read and a hash of the archive up
 * to it. An archive that only grew is split from that offset; one whose start changed (rotated,
 * re-generated) is split whole, and messages already seen (same Message-ID and content, see
 * messageKey) are skipped either way.
 */
export function createMboxSource(config: SourceConfig, defaults: { readonly maxBytes: number }): Source {
  const maxBytes = config.maxBytes ?? defaults.maxBytes;
  const format: MboxFormat = config.kind === 'mbox' ? config.format : 'mboxrd';
  return {
    id: config.id,
    kind: config.kind,
    config,
    async fetch(ctx, state) {
      const previous = readMboxCursor(state?.cursor);
      const folder = await folderOf(config.url);
      if (folder !== undefined) return fetchMaildir(ctx, config, folder, previous, maxBytes);
      const res = await ctx.http.get(config.url, {
        accept: 'application/mbox, application/gzip, text/plain;q=0.9, */*;q=0.5',
        maxBytes,
        ...(state?.validators ? { validators: state.validators } : {}),
        ...(ctx.signal ? { signal: ctx.signal } : {}),
      });
      if (res.status === 'not-modified') return { status: 'not-modified', validators: res.validators, cursor: previous };
      return readArchive(ctx, res.url, res.body, res.validators, previous);
    },
  };

  function readArchive(ctx: SourceContext, url: string, body: Uint8Array, validators: FetchResult['validators'], previous: MboxCursor): FetchResult {
    const problems: string[] = [];
    const unpacked = gunzipIfNeeded(body, maxBytes);
    if (unpacked.problem) problems.push(`${config.id}: ${url}: ${unpacked.problem}`);
    const archive = unpacked.bytes;
    const grew = previous.offset > 0 && archive.byteLength >= previous.offset && sha256Hex(archive.subarray(0, previous.offset)) === previous.prefixSha256;
    let messages = splitMbox(archive, { format, from: grew ? previous.offset : 0 });
    // The saved offset must still be a separator; if not, read the archive whole.
    if (grew && messages[0]?.start !== previous.offset) messages = splitMbox(archive, { format });
    if (!grew && previous.offset > 0) ctx.log.info({ source: config.id, url }, 'mbox archive changed before the saved offset; reading it whole (messages already seen are skipped)');
    if (messages.length === 0 && archive.byteLength > 0) problems.push(`${config.id}: ${url}: no "From " separated message in the archive`);

    const seen = new Set(previous.seen);
    const documents: RawDocument[] = [];
    const fresh: string[] = [];
    for (const m of messages) {
      // The key holds the content: a last message read while still being written is read again once grown.
      const key = messageKey(m.raw);
      if (seen.has(key)) continue;
      seen.add(key);
      fresh.push(key);
      documents.push(mailDocument(url, m.raw, m.index, ctx));
    }
    const last = messages.at(-1);
    const offset = last ? last.start : previous.offset;
    const cursor: MboxCursor = {
      offset,
      prefixSha256: sha256Hex(archive.subarray(0, offset)),
      seen: remember(previous.seen, fresh),
    };
    if (documents.length === 0) {
      for (const p of problems) ctx.log.warn({ source: config.id }, p);
      return { status: 'not-modified', validators, cursor };
    }
    return { status: 'ok', documents, validators, cursor, ...(problems.length > 0 ? { problems } : {}) };
  }

  function mailDocument(archiveUrl: string, raw: Uint8Array, index: number, ctx: SourceContext): RawDocument {
    const id = messageIdOf(raw);
    return {
      sourceId: config.id,
      sourceKind: 'mbox',
      url: `${archiveUrl.split('#')[0]!}#${id ? encodeURIComponent(id.slice(1, -1)) : `message-${index + 1}`}`,
      body: raw,
      contentType: 'message/rfc822',
      fetchedAt: ctx.clock.now(),
    };
  }
}

