import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceConfig } from '../../src/config/schema.js';
import { createHttpClient, type HttpClient } from '../../src/net/http-client.js';
import { parsers } from '../../src/parse/index.js';
import { createMboxSource } from '../../src/sources/mbox/mbox-source.js';
import type { FetchResult, SourceContext } from '../../src/sources/source.js';
import type { SourceState } from '../../src/store/store.js';
import { fixedClock } from '../../src/util/clock.js';
import { silentLogger } from '../../src/util/logger.js';
import { corpus } from '../helpers/corpus.js';
import { startServer, type TestServer } from '../helpers/http-server.js';
import { FORWARDED_DSA, OPENSSL_MAIL, TAMPERED_MAIL, mboxEntry, simpleMail } from '../helpers/mbox.js';

// The mbox source against a real HTTP server on 127.0.0.1 and real files: what each poll yields.

let http: HttpClient;
let server: TestServer;
let dir: string;
/** What the server serves at /list.mbox and /list.mbox.gz; tests change it between polls. */
let archive = Buffer.alloc(0);

beforeAll(async () => {
  http = createHttpClient({ timeoutMs: 10_000, maxBytes: 4 * 1024 * 1024, maxRedirects: 2, userAgent: 'secwatch-test' });
  server = await startServer((req, res) => {
    const etag = `"${archive.length}"`;
    if (req.headers['if-none-match'] === etag) return void res.writeHead(304, { etag }).end();
    const gz = req.url === '/list.mbox.gz';
    res.writeHead(200, { etag, 'content-type': gz ? 'application/gzip' : 'application/mbox' }).end(gz ? gzipSync(archive) : archive);
  });
  dir = mkdtempSync(join(tmpdir(), 'secwatch-mbox-'));
});

afterAll(async () => {
  await http.close();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const config = (url: string): SourceConfig => ({ id: 'lists', kind: 'mbox', url, interval: 3_600_000, enabled: true, format: 'mboxrd', verify: 'prefer' });
const context = (): SourceContext => ({ http, clock: fixedClock('2026-07-07T00:00:00Z'), log: silentLogger });
const committed = (r: FetchResult): SourceState => ({ sourceId: 'lists', validators: r.validators, ...(r.cursor === undefined ? {} : { cursor: r.cursor }) });
/** The Message-ID header of each yielded document, read here from the bytes with a plain regex. */
const ids = (r: FetchResult): string[] => (r.status === 'ok' ? r.documents.map((d) => /^Message-ID:\s*(<[^>]+>)/im.exec(Buffer.from(d.body).toString('latin1'))?.[1] ?? '?') : []);
const idOf = (file: string): string => /^Message-ID:\s*(<[^>]+>)/im.exec(corpus(file).toString('latin1'))![1]!;

describe('mbox source over HTTP', () => {
  it('polled twice: first every message, then only what the archive grew by (and 304 in between)', async () => {
    const source = createMboxSource(config(`${server.url}/list.mbox`), { maxBytes: 1 << 22 });
    archive = Buffer.from(mboxEntry(corpus(OPENSSL_MAIL)), 'latin1');
    const first = await source.fetch(context(), undefined);
    expect(ids(first)).toEqual([idOf(OPENSSL_MAIL)]);
    expect(first.status === 'ok' && first.documents[0]!.contentType).toBe('message/rfc822');
    // The yielded message parses into the advisory its mail announces.
    const doc = first.status === 'ok' ? first.documents[0]! : undefined;
    expect((await parsers.mbox(doc!)).map((a) => a.cves)).toEqual([['CVE-2024-2511']]);

    const unchanged = await source.fetch(context(), committed(first));
    expect(unchanged.status).toBe('not-modified');

    archive = Buffer.concat([archive, Buffer.from(mboxEntry(corpus(FORWARDED_DSA)), 'latin1')]);
    const second = await source.fetch(context(), committed(first));
    expect(ids(second)).toEqual([idOf(FORWARDED_DSA)]);
    expect(server.requests.filter((r) => r.url === '/list.mbox')).toHaveLength(3);
  });

  it('a grown archive is split from the saved offset (the last message read), not read whole', async () => {
    const source = createMboxSource(config(`${server.url}/list.mbox`), { maxBytes: 1 << 22 });
    const a = mboxEntry(simpleMail('o1@x', 'a', 'one\n'));
    const b = mboxEntry(simpleMail('o2@x', 'b', 'two\n'));
    archive = Buffer.from(a + b, 'latin1');
    const first = await source.fetch(context(), undefined);
    expect((first.cursor as { offset: number }).offset).toBe(Buffer.byteLength(a, 'latin1'));
    archive = Buffer.from(a + b + mboxEntry(simpleMail('o3@x', 'c', 'three\n')), 'latin1');
    // Without the Message-ID memory, what is yielded shows where splitting started: at b, not at a.
    const forgetful = { ...committed(first), cursor: { ...(first.cursor as object), seen: [] } };
    expect(ids(await source.fetch(context(), forgetful))).toEqual(['<o2@x>', '<o3@x>']);
  });

  it('an archive rewritten before the saved offset is read whole: messages already seen are skipped, an edited one is read again', async () => {
    const source = createMboxSource(config(`${server.url}/list.mbox`), { maxBytes: 1 << 22 });
    archive = Buffer.from(mboxEntry(simpleMail('a@x', 'a', 'one\n')) + mboxEntry(simpleMail('b@x', 'b', 'two\n')), 'latin1');
    const first = await source.fetch(context(), undefined);
    expect(ids(first)).toEqual(['<a@x>', '<b@x>']);
    // Re-generated: the archiver stamped every message with a trace header and a new separator date
    // (not content: skipped), edited b's Subject (content: read again) and added c.
    const stamped = (id: string, subject: string, body: string) => mboxEntry(`Archived-At: <https://lists.example.org/${id}>\n${simpleMail(id, subject, body)}`, 'archiver@example.org');
    archive = Buffer.from(stamped('a@x', 'a', 'one\n') + stamped('b@x', 'b (edited)', 'two\n') + stamped('c@x', 'c', 'three\n'), 'latin1');
    const second = await source.fetch(context(), committed(first));
    expect(ids(second)).toEqual(['<b@x>', '<c@x>']);
    expect(second.status === 'ok' && Buffer.from(second.documents[0]!.body).toString('latin1')).toContain('Subject: b (edited)');
  });

  it('a mail carrying an already seen Message-ID with other content is read, not hidden; the same content again is not', async () => {
    const source = createMboxSource(config(`${server.url}/list.mbox`), { maxBytes: 1 << 22 });
    // The tampered copy (same Message-ID, one CVE changed) reaches the archive first.
    archive = Buffer.from(mboxEntry(corpus(TAMPERED_MAIL)), 'latin1');
    const first = await source.fetch(context(), undefined);
    expect(ids(first)).toEqual([idOf(OPENSSL_MAIL)]);
    archive = Buffer.concat([archive, Buffer.from(mboxEntry(corpus(OPENSSL_MAIL)) + mboxEntry(corpus(OPENSSL_MAIL), 'resent@example.org'), 'latin1')]);
    const second = await source.fetch(context(), committed(first));
    expect(ids(second)).toEqual([idOf(OPENSSL_MAIL)]);
    const doc = second.status === 'ok' ? second.documents[0]! : undefined;
    expect((await parsers.mbox(doc!)).map((a) => a.cves)).toEqual([['CVE-2024-2511']]);
  });

  it('a last message caught while still being written is read again once complete', async () => {
    const source = createMboxSource(config(`${server.url}/list.mbox`), { maxBytes: 1 << 22 });
    const full = mboxEntry(simpleMail('t@x', 't', 'line 1\nline 2\nline 3\n'));
    archive = Buffer.from(mboxEntry(simpleMail('s@x', 's', 'x\n')) + full.slice(0, full.indexOf('line 2')), 'latin1');
    const first = await source.fetch(context(), undefined);
    expect(ids(first)).toEqual(['<s@x>', '<t@x>']);
    archive = Buffer.from(mboxEntry(simpleMail('s@x', 's', 'x\n')) + full, 'latin1');
    const second = await source.fetch(context(), committed(first));
    expect(ids(second)).toEqual(['<t@x>']);
    expect(second.status === 'ok' && Buffer.from(second.documents[0]!.body).toString('latin1')).toContain('line 3');
    expect((await source.fetch(context(), committed(second))).status).toBe('not-modified');
  });

  it('reads mbox.gz the same way', async () => {
    const source = createMboxSource(config(`${server.url}/list.mbox.gz`), { maxBytes: 1 << 22 });
    archive = Buffer.from(mboxEntry(corpus(OPENSSL_MAIL)) + mboxEntry(corpus(FORWARDED_DSA)), 'latin1');
    expect(ids(await source.fetch(context(), undefined))).toEqual([idOf(OPENSSL_MAIL), idOf(FORWARDED_DSA)]);
  });
});

describe('mbox source on files', () => {
  it('a file: mbox grows like an HTTP one', async () => {
    const path = join(dir, 'list.mbox');
    writeFileSync(path, mboxEntry(simpleMail('f1@x', 'a', 'one\n')));
    const source = createMboxSource(config(pathToFileURL(path).href), { maxBytes: 1 << 22 });
    const first = await source.fetch(context(), undefined);
    writeFileSync(path, mboxEntry(simpleMail('f1@x', 'a', 'one\n')) + mboxEntry(simpleMail('f2@x', 'b', 'two\n')));
    expect([ids(first), ids(await source.fetch(context(), committed(first)))]).toEqual([['<f1@x>'], ['<f2@x>']]);
  });

  it('a Maildir: new/ and cur/ messages once each, a message moved new/ → cur/ (flags added) not again, the same mail delivered twice skipped', async () => {
    const maildir = join(dir, 'Maildir');
    for (const sub of ['new', 'cur', 'tmp']) mkdirSync(join(maildir, sub), { recursive: true });
    writeFileSync(join(maildir, 'new', '1700000000.1.host'), corpus(OPENSSL_MAIL));
    writeFileSync(join(maildir, 'cur', '1700000001.2.host:2,S'), corpus(FORWARDED_DSA));
    writeFileSync(join(maildir, 'tmp', '1700000002.3.host'), 'being delivered');
    const source = createMboxSource(config(pathToFileURL(maildir).href), { maxBytes: 1 << 22 });
    const first = await source.fetch(context(), undefined);
    expect(ids(first).sort()).toEqual([idOf(OPENSSL_MAIL), idOf(FORWARDED_DSA)].sort());
    renameSync(join(maildir, 'new', '1700000000.1.host'), join(maildir, 'cur', '1700000000.1.host:2,S'));
    // The same mail delivered twice: the second copy differs only in a trace header the MTA added.
    writeFileSync(join(maildir, 'new', '1700000003.4.host'), Buffer.concat([Buffer.from('Received: from mx2.example.org by mail.example.org; Tue, 9 Apr 2024 10:00:05 +0000\n'), corpus(OPENSSL_MAIL)]));
    writeFileSync(join(maildir, 'new', '1700000004.5.host'), simpleMail('m@x', 'm', 'new\n'));
    expect(ids(await source.fetch(context(), committed(first)))).toEqual(['<m@x>']);
  });
});
