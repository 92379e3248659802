import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { gunzipIfNeeded, splitMbox } from '../../src/mail/mbox.js';
import { corpus } from '../helpers/corpus.js';
import { FORWARDED_DSA, OPENSSL_MAIL, mboxEntry, simpleMail } from '../helpers/mbox.js';

describe('splitMbox', () => {
  it('gives back each corpus mail byte for byte', () => {
    const mails = [corpus(OPENSSL_MAIL), corpus(FORWARDED_DSA)];
    const archive = Buffer.from(mails.map((m) => mboxEntry(m)).join(''), 'latin1');
    const messages = splitMbox(archive);
    expect(messages.map((m) => Buffer.from(m.raw).equals(m === messages[0] ? mails[0]! : mails[1]!))).toEqual([true, true]);
    expect(messages[1]!.start).toBe(archive.indexOf('From list@example.org', 10));
  });

  it('mboxrd: quoted ">From " lines are unquoted one level; an unquoted "From " body line not after a blank line does not split', () => {
    const body = 'line\nFrom here on, text.\n\n>From the archive\n>>From deeper\n';
    const archive = Buffer.from(mboxEntry(simpleMail('q@x', 's', body)) + mboxEntry(simpleMail('r@x', 't', 'b\n')), 'latin1');
    const messages = splitMbox(archive);
    expect(messages).toHaveLength(2);
    expect(Buffer.from(messages[0]!.raw).toString('latin1')).toBe(simpleMail('q@x', 's', body));
  });

  it('mboxo: only one level of quoting is undone', () => {
    const archive = Buffer.from('From a@x Mon Apr  8 13:59:33 2024\nSubject: s\n\n>From x\n>>From y\n', 'latin1');
    expect(Buffer.from(splitMbox(archive, { format: 'mboxo' })[0]!.raw).toString('latin1')).toBe('Subject: s\n\nFrom x\n>>From y\n');
  });

  it('splits from a saved offset only what comes after it', () => {
    const first = mboxEntry(simpleMail('a@x', 'a', 'x\n'));
    const archive = Buffer.from(first + mboxEntry(simpleMail('b@x', 'b', 'y\n')), 'latin1');
    const rest = splitMbox(archive, { from: first.length });
    expect(rest.map((m) => m.start)).toEqual([first.length]);
  });

  it('gunzipIfNeeded: plain bytes pass, gzip is opened, a truncated gzip gives what it holds and says so', () => {
    const text = Buffer.from(mboxEntry(simpleMail('a@x', 'a', 'x\n'.repeat(2000))), 'latin1');
    expect(Buffer.from(gunzipIfNeeded(text).bytes).equals(text)).toBe(true);
    const gz = gzipSync(text);
    expect(Buffer.from(gunzipIfNeeded(gz).bytes).equals(text)).toBe(true);
    const cut = gunzipIfNeeded(gz.subarray(0, Math.floor(gz.length / 2)));
    expect(cut.problem).toMatch(/truncated/);
    expect(text.subarray(0, cut.bytes.length).equals(Buffer.from(cut.bytes))).toBe(true);
  });
});
