// Atom 1.0 (RFC 4287) rendering of a JSON Feed, for readers that lack JSON Feed: same items, same ids.
import type { JsonFeed } from './json-feed.js';

export const ATOM_CONTENT_TYPE = 'application/atom+xml; charset=utf-8';

/** Text safe in XML character data and attribute values. */
export function xmlEscape(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** A stable IRI for an id that may not be one (advisory ids are "kev:CVE-…"). */
function atomId(id: string): string {
  return `urn:secwatch:${encodeURIComponent(id)}`;
}

/**
 * JSON Feed → Atom, pure. `selfUrl` is where this rendering is served (the rel="self" link);
 * the feed's `updated` is the newest item's, so an unchanged feed renders byte-identical (stable ETag).
 */
export function buildAtomFeed(feed: JsonFeed, selfUrl: string | undefined, feedId: string): string {
  const updated = feed.items.reduce((max, i) => (i.date_modified > max ? i.date_modified : max), '1970-01-01T00:00:00.000Z');
  const out = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  <id>${xmlEscape(atomId(feedId))}</id>`,
    `  <title>${xmlEscape(feed.title)}</title>`,
    feed.description ? `  <subtitle>${xmlEscape(feed.description)}</subtitle>` : '',
    `  <updated>${xmlEscape(updated)}</updated>`,
    '  <author><name>secwatch</name></author>',
    '  <generator>secwatch</generator>',
    selfUrl ? `  <link rel="self" type="application/atom+xml" href="${xmlEscape(selfUrl)}"/>` : '',
    feed.home_page_url ? `  <link rel="alternate" href="${xmlEscape(feed.home_page_url)}"/>` : '',
  ];
  for (const item of feed.items) {
    out.push(
      '  <entry>',
      `    <id>${xmlEscape(atomId(item.id))}</id>`,
      `    <title>${xmlEscape(item.title)}</title>`,
      `    <published>${xmlEscape(item.date_published)}</published>`,
      `    <updated>${xmlEscape(item.date_modified)}</updated>`,
      item.url ? `    <link rel="alternate" href="${xmlEscape(item.url)}"/>` : '',
      ...item.tags.map((t) => `    <category term="${xmlEscape(t)}"/>`),
      item.summary ? `    <summary>${xmlEscape(item.summary)}</summary>` : '',
      `    <content type="text">${xmlEscape(item.content_text)}</content>`,
      '  </entry>',
    );
  }
  out.push('</feed>', '');
  return out.filter((l) => l !== '').join('\n');
}
