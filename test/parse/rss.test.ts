import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ParseError } from '../../src/errors.js';
import type { ParsedAdvisory } from '../../src/model/advisory.js';
import type { RawDocument } from '../../src/model/raw-document.js';
import { detectFormat, parseRss } from '../../src/parse/index.js';
import { corpus, corpusDocument, CORPUS_FETCHED_AT } from '../helpers/corpus.js';

const DEBIAN = 'vendor-rss/debian/dsa-long.3-item-excerpt.rdf';

const inlineDoc = (xml: string, sourceId = 'feed'): RawDocument => ({
  sourceId,
  sourceKind: 'rss',
  url: 'https://example.invalid/feed.xml',
  body: new TextEncoder().encode(xml),
  fetchedAt: CORPUS_FETCHED_AT,
});

/** Runs fn with the host time zone set (Node applies a TZ change at once; this file has its own worker). */
async function inZone<T>(zone: string, fn: () => Promise<T>): Promise<T> {
  const hostZone = process.env.TZ;
  process.env.TZ = zone;
  try {
    return await fn();
  } finally {
    if (hostZone === undefined) delete process.env.TZ;
    else process.env.TZ = hostZone;
  }
}

async function parseError(doc: RawDocument): Promise<ParseError> {
  const err: unknown = await parseRss(doc).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ParseError);
  return err as ParseError;
}

describe('parseRss on the Debian dsa-long.rdf excerpt (RSS 1.0/RDF)', () => {
  const doc = corpusDocument(DEBIAN, { sourceId: 'debian', sourceKind: 'rss' });
  const text = corpus(DEBIAN).toString('utf8');
  // What the document says, read with plain regular expressions rather than an RSS library.
  const items = [...text.matchAll(/<item rdf:about="([^"]+)">\s*<title>(\S+) (\S+) - security update<\/title>\s*<link>([^<]+)<\/link>\s*<dc:date>([^<]+)<\/dc:date>/g)].map(
    (m) => ({ about: m[1]!, id: m[2]!, pkg: m[3]!, link: m[4]!, date: m[5]! }),
  );

  it('is the document we think it is', () => {
    expect(items.map((i) => i.id)).toEqual(['DSA-6508-1', 'DSA-6507-1', 'DSA-6506-1']);
    expect(items.map((i) => i.pkg)).toEqual(['chromium', 'unbound', 'chromium']);
  });

  it('gives one advisory per item, with the DSA id, package, link and dc:date', async () => {
    const advisories = await parseRss(doc, { vendor: 'Debian' });
    expect(advisories.map((a) => a.id)).toEqual(['debian:DSA-6508-1', 'debian:DSA-6507-1', 'debian:DSA-6506-1']);
    advisories.forEach((a, i) => {
      const item = items[i]!;
      expect(a.source).toEqual({ kind: 'rss', id: 'debian' });
      expect(a.title).toBe(`${item.id} ${item.pkg} - security update`);
      expect(a.url).toBe(item.link);
      expect(a.remediation).toEqual({ url: item.link });
      expect(a.products).toEqual([{ vendor: 'Debian', product: item.pkg }]);
      expect(a.published).toBe(`${item.date}T00:00:00.000Z`);
      expect(a.modified).toBe(a.published);
      expect(a.cves).toEqual([]);
      expect(a).not.toHaveProperty('vendorSeverity');
    });
    expect(advisories.map((a) => a.published)).toEqual([
      '2026-09-19T00:00:00.000Z',
      '2026-09-19T00:00:00.000Z',
      '2026-09-17T00:00:00.000Z',
    ]);
  });

  it('gives a plain-text summary: the escaped <a> link in the description is gone, its text kept', async () => {
    const [first] = await parseRss(doc);
    expect(text).toContain('&lt;a href=&quot;https://security-tracker.debian.org/tracker/DSA-6508-1&quot;&gt;');
    expect(first?.summary).toBe(
      'Security issues were discovered in Chromium which could result in the execution of arbitrary code, ' +
        'denial of service, or information disclosure. https://security-tracker.debian.org/tracker/DSA-6508-1',
    );
  });

  it('omits the vendor when the source config names none, and invents no vendor rating', async () => {
    // A source's defaultSeverity is applied by normalize as policy, never as the vendor's word.
    const plain = await parseRss(doc);
    expect(plain.map((a) => a.products)).toEqual([[{ product: 'chromium' }], [{ product: 'unbound' }], [{ product: 'chromium' }]]);
    expect(plain.map((a) => a.vendorSeverity)).toEqual([undefined, undefined, undefined]);
  });

  it('is detected as rss by --format auto', () => {
    expect(detectFormat(corpus(DEBIAN))).toBe('rss');
  });
});

const RSS2 = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Vendor errata</title><link>https://vendor.example/</link>
<lastBuildDate>Tue, 03 Sep 2024 10:00:00 GMT</lastBuildDate>
<item><title>Critical: openssl security update</title>
  <link>https://access.redhat.com/errata/RHSA-2024:6164</link><guid isPermaLink="false">errata-6164</guid>
  <pubDate>Mon, 02 Sep 2024 08:30:00 +0200</pubDate>
  <description><![CDATA[<p>Fixes <b>CVE-2024-5535</b> and cve-2024-6119.</p><script>alert(1)</script> AT&amp;T &#x2014; done]]></description>
  <category>CVE-2024-5535</category><category>CVE-2023-50782</category></item>
<item><title>[Important] Widget 2.1 released</title><link>https://vendor.example/news/widget-2-1</link>
  <guid>https://vendor.example/news/widget-2-1#guid</guid></item>
<item><title>Gadget fix</title><category domain="severity">Moderate</category></item>
<item><description>An item with neither title nor link is skipped.</description></item>
<item><title>Long one</title><description>${'word '.repeat(600)}</description></item>
</channel></rss>`;

describe('parseRss on RSS 2.0 (inline)', () => {
  async function byTitle(): Promise<Map<string, ParsedAdvisory>> {
    const advisories = await parseRss(inlineDoc(RSS2, 'redhat'), { vendor: 'Red Hat' });
    expect(advisories).toHaveLength(4);
    return new Map(advisories.map((a) => [a.title, a]));
  }

  it('takes the id from the link (RHSA), the rating word from the title, CVEs from all text', async () => {
    const a = (await byTitle()).get('Critical: openssl security update')!;
    expect(a.id).toBe('redhat:RHSA-2024:6164');
    expect(a.vendorSeverity).toBe('Critical');
    expect(a.cves).toEqual(['CVE-2024-5535', 'CVE-2024-6119', 'CVE-2023-50782']);
    expect(a.published).toBe('2024-09-02T06:30:00.000Z');
    expect(a.url).toBe('https://access.redhat.com/errata/RHSA-2024:6164');
    expect(a.products).toEqual([]);
    expect(a.exploited).toEqual({});
    expect(a.cvss).toEqual([]);
    expect(a.signature).toEqual({ status: 'not-checked' });
  });

  it('strips HTML (tags, scripts) from the summary and decodes entities', async () => {
    const a = (await byTitle()).get('Critical: openssl security update')!;
    expect(a.summary).toBe('Fixes CVE-2024-5535 and cve-2024-6119. AT&T \u2014 done');
  });

  it('leaves character references outside Unicode as written instead of failing', async () => {
    const xml = RSS2.replace('AT&amp;T &#x2014; done', 'bad &#x110000; &#99999999; &#0; ok');
    const a = (await parseRss(inlineDoc(xml)))[0]!;
    expect(a.summary).toBe('Fixes CVE-2024-5535 and cve-2024-6119. bad &#x110000; &#99999999; &#0; ok');
  });

  it('reads a bracketed rating and falls back to the guid for the id', async () => {
    const a = (await byTitle()).get('[Important] Widget 2.1 released')!;
    expect(a.vendorSeverity).toBe('Important');
    expect(a.id).toBe('redhat:https://vendor.example/news/widget-2-1#guid');
  });

  it('reads a rating category; without guid or link the id is the sha256 of the title', async () => {
    const a = (await byTitle()).get('Gadget fix')!;
    expect(a.vendorSeverity).toBe('Moderate');
    expect(a.id).toBe(`redhat:${createHash('sha256').update('Gadget fix').digest('hex')}`);
    expect(a).not.toHaveProperty('url');
    expect(a.remediation).toEqual({});
    // No date on the item: the channel's lastBuildDate.
    expect(a.published).toBe('2024-09-03T10:00:00.000Z');
  });

  it('reads an RFC 822 date without a zone as UTC, whatever the host zone', async () => {
    const xml = RSS2.replace('Mon, 02 Sep 2024 08:30:00 +0200', 'Mon, 02 Sep 2024 08:30:00');
    const [a] = await inZone('Asia/Tokyo', () => parseRss(inlineDoc(xml)));
    expect(a?.published).toBe('2024-09-02T08:30:00.000Z');
  });

  it('caps the summary at about 1,000 characters on a word boundary', async () => {
    const a = (await byTitle()).get('Long one')!;
    expect(a.summary!.length).toBeLessThanOrEqual(1000);
    expect(a.summary!.length).toBeGreaterThan(900);
    expect(a.summary).toMatch(/^(word )+word\u2026$/);
  });
});

const ATOM = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Security advisories</title><id>urn:example:feed</id><updated>2024-10-01T12:00:00Z</updated>
  <entry>
    <id>urn:uuid:6b6f6f6b-0000-4000-8000-000000000001</id>
    <title type="html">[High] Path traversal in &lt;code&gt;archiver&lt;/code&gt;</title>
    <link rel="alternate" href="https://github.com/advisories/GHSA-9v2f-6vcg-3hgv"/>
    <published>2024-09-30T08:00:00+02:00</published>
    <updated>2024-10-01T09:15:00Z</updated>
    <category term="CVE-2024-47164"/>
    <content type="html">&lt;h1&gt;Impact&lt;/h1&gt;&lt;p&gt;Versions &amp;lt; 4.1 allow &lt;em&gt;path traversal&lt;/em&gt;.&lt;/p&gt;</content>
  </entry>
  <entry>
    <id>tag:example.org,2024:advisory-7</id>
    <title>Low: docs typo</title>
    <link href="https://example.org/advisories/7"/>
    <updated>2024-09-01T00:00:00</updated>
  </entry>
</feed>`;

describe('parseRss on Atom (inline)', () => {
  it('uses the GHSA id (upper-cased), <published>, <updated> and the HTML <content> as text', async () => {
    const [a] = await parseRss(inlineDoc(ATOM, 'github'));
    expect(a?.id).toBe('github:GHSA-9V2F-6VCG-3HGV');
    expect(a?.title).toBe('[High] Path traversal in archiver');
    expect(a?.vendorSeverity).toBe('High');
    expect(a?.url).toBe('https://github.com/advisories/GHSA-9v2f-6vcg-3hgv');
    expect(a?.published).toBe('2024-09-30T06:00:00.000Z');
    expect(a?.modified).toBe('2024-10-01T09:15:00.000Z');
    expect(a?.summary).toBe('Impact Versions < 4.1 allow path traversal .');
    expect(a?.cves).toEqual(['CVE-2024-47164']);
  });

  it('falls back to <id> for the id and reads a zone-less <updated> as UTC, whatever the host zone', async () => {
    const [, b] = await inZone('America/New_York', () => parseRss(inlineDoc(ATOM, 'github')));
    expect(b?.id).toBe('github:tag:example.org,2024:advisory-7');
    expect(b?.vendorSeverity).toBe('Low');
    expect(b?.published).toBe('2024-09-01T00:00:00.000Z');
    expect(b?.modified).toBe('2024-09-01T00:00:00.000Z');
  });

  it('is detected as rss by --format auto', () => {
    expect(detectFormat(new TextEncoder().encode(ATOM))).toBe('rss');
    expect(detectFormat(new TextEncoder().encode('<?xml version="1.0"?>\n<!-- c -->\n<html></html>'))).toBeUndefined();
  });
});

describe('parseRss on RSS 0.91 (inline)', () => {
  it('reads a Netscape-era feed', async () => {
    const xml = `<rss version="0.91"><channel><title>Old</title><link>https://old.example/</link>
      <item><title>DLA-3912-1 curl - security update</title><link>https://old.example/dla-3912-1</link></item></channel></rss>`;
    const [a] = await parseRss(inlineDoc(xml, 'debian-lts'), { vendor: 'Debian' });
    expect(a?.id).toBe('debian-lts:DLA-3912-1');
    expect(a?.products).toEqual([{ vendor: 'Debian', product: 'curl' }]);
    // No date anywhere in the feed: the time the document was fetched.
    expect(a?.published).toBe(CORPUS_FETCHED_AT.toISOString());
  });
});

describe('parseRss on documents that are not feeds', () => {
  it('gives a ParseError with the XML parser cause and position for malformed XML', async () => {
    const err = await parseError(inlineDoc('<rss version="2.0"><channel><item><title>x</item></channel></rss>'));
    expect(err.message).toMatch(/^not a valid RSS\/Atom document: Unexpected close tag at line 1 column \d+$/);
    expect(err.where).toMatch(/^line 1 column \d+$/);
    expect(err.format).toBe('rss');
  });

  it('gives a ParseError for well-formed XML that is no feed, and for a JSON document', async () => {
    const html = await parseError(inlineDoc('<html><body>hi</body></html>'));
    expect(html.message).toBe('not a valid RSS/Atom document: Feed not recognized as RSS 1 or 2.');
    await parseError(corpusDocument('kev/known_exploited_vulnerabilities.2025-08-21.json', { sourceId: 'x', sourceKind: 'rss' }));
    await parseError(inlineDoc(''));
  });
});
