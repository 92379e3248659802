import { describe, expect, it } from 'vitest';
import { ParseError } from '../../src/errors.js';
import { normalizeAdvisory } from '../../src/normalize/normalize.js';
import { detectFormat, parsers } from '../../src/parse/index.js';
import { parseMboxArchive } from '../../src/parse/mbox/to-advisory.js';
import { CORPUS_FETCHED_AT, corpus } from '../helpers/corpus.js';
import { FORWARDED_DSA, OPENSSL_MAIL, corpusMbox, mboxEntry, simpleMail } from '../helpers/mbox.js';

const doc = (body: Uint8Array) => ({ sourceId: 'lists', sourceKind: 'mbox' as const, url: 'file:///archive.mbox', body, fetchedAt: CORPUS_FETCHED_AT });

/** The CVEs of a mail's clearsigned text, found here independently: between the BEGIN and the signature lines. */
function signedCves(file: string): string[] {
  const text = corpus(file).toString('latin1').replace(/=\r?\n/g, '');
  const block = text.slice(text.indexOf('-----BEGIN PGP SIGNED MESSAGE-----'), text.indexOf('-----BEGIN PGP SIGNATURE-----'));
  return [...new Set(block.match(/CVE-\d{4}-\d{4,}/g))].sort();
}

describe('mbox parser', () => {
  it('an archive of the corpus mails gives rated OpenSSL and Debian items with their CVEs', async () => {
    const advisories = (await parsers.mbox(doc(corpusMbox([OPENSSL_MAIL, FORWARDED_DSA])))).map((a) => normalizeAdvisory(a, { fallbackSeverity: 'important' }));
    const openssl = advisories.filter((a) => a.id.startsWith('openssl:'));
    const debian = advisories.filter((a) => a.id.startsWith('debian:'));
    expect(openssl.flatMap((a) => a.cves).sort()).toEqual(signedCves(OPENSSL_MAIL));
    const word = /^Severity:\s*(\w+)/m.exec(corpus(OPENSSL_MAIL).toString('utf8'))![1]!.toLowerCase();
    expect(openssl.map((a) => [a.severity, a.severitySource])).toEqual(openssl.map(() => [word === 'high' ? 'important' : word, 'vendor']));
    expect(debian).toHaveLength(1);
    expect([...debian[0]!.cves]).toEqual(signedCves(FORWARDED_DSA));
    // A DSA states no rating: the source's defaultSeverity (policy) rates it.
    expect([debian[0]!.severity, debian[0]!.severitySource]).toEqual(['important', 'policy']);
    expect(debian[0]!.source).toEqual({ kind: 'mbox', id: 'lists' });
  });

  it('`--format auto` recognises an mbox archive and a single mail', () => {
    expect(detectFormat(corpusMbox([OPENSSL_MAIL]))).toBe('mbox');
    expect(detectFormat(corpus(FORWARDED_DSA))).toBe('mbox');
  });

  it('replies and mails without CVE ids are not advisories; a generic post with a CVE is', async () => {
    const archive = Buffer.from(
      [
        mboxEntry(simpleMail('r@x', 'Re: [oss-security] OpenSSL Security Advisory', '> CVE-2024-2511\nthanks\n')),
        mboxEntry(simpleMail('n@x', 'meeting notes', 'nothing\n')),
        mboxEntry(simpleMail('g@x', '[oss-security] CVE-2024-12345: foo: heap overflow', 'Severity: Moderate\n\nfoo before 1.2 overflows.\n')),
      ].join(''),
      'latin1',
    );
    const advisories = (await parsers.mbox(doc(archive))).map((a) => normalizeAdvisory(a));
    expect(advisories.map((a) => [a.id, a.title, a.cves, a.severity])).toEqual([['mail:g@x', 'CVE-2024-12345: foo: heap overflow', ['CVE-2024-12345'], 'moderate']]);
  });

  it('a broken MIME mail and a truncated last message are errors naming the message; the rest is still read', async () => {
    const openssl = corpus(OPENSSL_MAIL).toString('latin1');
    const broken = 'From: a@x\nSubject: broken\nMessage-ID: <broken@x>\nDate: Tue, 9 Apr 2024 10:00:00 +0000\nContent-Type: multipart/mixed\n\nno boundary\n';
    const dsa = corpus(FORWARDED_DSA).toString('latin1');
    const truncated = dsa.slice(0, dsa.indexOf('--fUYQa+Pmc3FrFX/N\nContent-Type: application/pgp-signature'));
    const archive = Buffer.from(mboxEntry(broken) + mboxEntry(openssl) + mboxEntry(truncated).trimEnd(), 'latin1');
    const { outcomes } = await parseMboxArchive(archive, doc(archive));
    expect(outcomes.map((o) => ('error' in o ? 'error' : 'ok'))).toEqual(['error', 'ok', 'error']);
    const [first, , last] = outcomes.map((o) => ('error' in o ? o.error : undefined));
    expect(first).toBeInstanceOf(ParseError);
    expect(first!.message).toMatch(/message 1 .*<broken@x>.*without a boundary/);
    expect(last!.message).toMatch(/message 3 .*<20170130012137\.GA20854@jasmine>.*closing boundary missing/);
    // The parser entry point still gives what it could read.
    expect((await parsers.mbox(doc(archive))).map((a) => a.id)).toEqual(['openssl:CVE-2024-2511']);
  });

  it('an OpenSSL forthcoming-release mail in the archive is an advance notice with the planned date', async () => {
    const body = 'The OpenSSL project team would like to announce the forthcoming release\nof OpenSSL versions 3.1.1, 3.0.9 and 1.1.1u.\n\nThese releases will be made available on Tuesday 30th May 2023\nbetween 1300-1700 UTC.\n\nThe highest severity issue fixed in each of these releases is Moderate.\n';
    const archive = Buffer.from(mboxEntry(simpleMail('f@x', 'Forthcoming OpenSSL Releases', body)), 'latin1');
    const [n] = await parsers.mbox(doc(archive));
    expect(n).toMatchObject({ kind: 'advance-notice', source: { kind: 'mbox', id: 'lists' }, plannedRelease: { date: '2023-05-30', maxSeverity: 'moderate' } });
  });

  it('an archive where no message reads is a ParseError', async () => {
    const archive = Buffer.from(mboxEntry('From: a@x\nContent-Type: multipart/mixed\n\nx\n'), 'latin1');
    await expect(parsers.mbox(doc(archive))).rejects.toBeInstanceOf(ParseError);
  });
});
