// RSS 0.91 https://www.rssboard.org/rss-0-9-1-netscape · RSS 1.0 (RDF) https://web.resource.org/rss/1.0/spec
// RSS 2.0 https://www.rssboard.org/rss-specification · Atom RFC 4287 https://www.rfc-editor.org/rfc/rfc4287
import RssParser from 'rss-parser';
import { ParseError } from '../../errors.js';
import type { AffectedProduct, ParsedAdvisory } from '../../model/advisory.js';
import type { RawDocument } from '../../model/raw-document.js';
import { sha256Hex } from '../../util/hash.js';
import type { ParseOptions, Parser } from '../parser.js';

const FORMAT = 'rss';
const SUMMARY_MAX = 1000;
/** Markup we look at for the summary; bounds the cost of tag stripping on hostile input. */
const SUMMARY_SCAN_MAX = 8000;

// rss-parser already maps an item's dc:date to `date`; the channel's dc:date (RSS 1.0), Atom's raw
// <published>/<updated> and raw categories (Atom <category term>) need custom fields. Its own `isoDate`
// is not used: it reads zone-less dates in the host's time zone.
type FeedExtra = { 'dc:date'?: unknown; updated?: unknown; pubDate?: unknown; lastBuildDate?: unknown };
type ItemExtra = {
  rawCategories?: unknown;
  published?: unknown;
  updated?: unknown;
  date?: unknown;
  id?: unknown;
  'content:encoded'?: unknown;
  'rdf:about'?: unknown;
};
type Feed = Awaited<ReturnType<RssParser<FeedExtra, ItemExtra>['parseString']>>;
type Item = Feed['items'][number];

/** Well-known advisory ids, so the same bulletin keeps its id whatever URL or guid the feed uses. */
const ADVISORY_ID = [
  String.raw`\b(?:DSA|DLA)-\d+(?:-\d+)?`,
  String.raw`\bUSN-\d+-\d+`,
  String.raw`\bRHSA-\d{4}:\d+`,
  String.raw`\bGHSA(?:-[23456789cfghjmpqrvwx]{4}){3}`,
  String.raw`\b(?:openSUSE|SUSE)-SU-\d{4}:\d+-\d+`,
  String.raw`\bALAS(?:\d{1,4})?-\d{4}-\d+`,
  String.raw`\b(?:ELSA|CESA)-\d{4}[:-]\d+`,
  String.raw`\bFEDORA-\d{4}-[0-9a-f]{10}`,
  String.raw`\bGLSA[- ]\d{6}-\d+`,
  String.raw`\bMFSA[- ]?\d{4}-\d+`,
  String.raw`\bMS\d{2}-\d{3}`,
  String.raw`\bVMSA-\d{4}-\d{4}(?:\.\d+)?`,
  String.raw`\bXSA-\d+`,
  String.raw`\bcisco-sa-[a-z0-9-]+`,
].join('|');
const ADVISORY_ID_RE = new RegExp(`(?:${ADVISORY_ID})\\b`, 'i');
const CVE_RE = /CVE-\d{4}-\d{4,}/gi;
const RATINGS = 'critical|important|moderate|low|high|medium';
/** "Important: kernel security update", "[Critical] …", "(Low) …", "RHSA-2024:1234: Moderate: …". */
const LEADING_RATING = new RegExp(
  `^\\s*(?:(?:${ADVISORY_ID})\\s*:?\\s+)?(?:\\[(${RATINGS})\\]|\\((${RATINGS})\\)|(${RATINGS})\\s*:)`,
  'i',
);
const CATEGORY_RATING = new RegExp(`^(?:severity\\s*:\\s*)?(${RATINGS})$`, 'i');
/** Debian/Ubuntu style: "DSA-6508-1 chromium - security update". */
const PACKAGE_TITLE = new RegExp(`^\\s*\\[?(?:${ADVISORY_ID})\\]?:?\\s+(\\S+)\\s+[-\u2013\u2014]\\s+security update\\b`, 'i');

/** Feed items as advisories; items with neither title nor link say nothing and are skipped. */
export const parseRss = async (doc: RawDocument, options: ParseOptions = {}): Promise<ParsedAdvisory[]> => {
  const feed = await readFeed(doc.body);
  const feedDate =
    isoDate(feed['dc:date']) ?? isoDate(feed.lastBuildDate) ?? isoDate(feed.pubDate) ?? isoDate(feed.updated);
  const fallbackDate = feedDate ?? doc.fetchedAt.toISOString();
  const out: ParsedAdvisory[] = [];
  for (const item of feed.items) {
    const advisory = toAdvisory(item, doc, options, fallbackDate);
    if (advisory !== undefined) out.push(advisory);
  }
  return out;
};
parseRss satisfies Parser;

async function readFeed(body: Uint8Array): Promise<Feed> {
  // A parser per call: xml2js keeps state between parses, and a failed parse may leave it dirty.
  const parser = new RssParser<FeedExtra, ItemExtra>({
    customFields: {
      feed: ['dc:date', 'updated'],
      item: [['category', 'rawCategories', { keepArray: true }], 'published', 'updated'],
    },
  });
  try {
    return await parser.parseString(decodeXml(body));
  } catch (err) {
    const raw = err instanceof Error ? err.message : String(err);
    // sax reports "Line: 0\nColumn: 4" with a 0-based line and the 1-based column of the last character read.
    const at = /\nLine: (\d+)\nColumn: (\d+)/.exec(raw);
    const where = at === null ? undefined : `line ${Number(at[1]) + 1} column ${at[2]}`;
    const cause = raw.split('\n')[0]?.trim() ?? raw;
    const message = `not a valid RSS/Atom document: ${cause}${where === undefined ? '' : ` at ${where}`}`;
    throw new ParseError(FORMAT, message, where === undefined ? { cause: err } : { cause: err, where });
  }
}

function toAdvisory(
  item: Item,
  doc: RawDocument,
  options: ParseOptions,
  fallbackDate: string,
): ParsedAdvisory | undefined {
  const title = cleanText(str(item.title));
  const link = safeLink(str(item.link)?.trim());
  if (!title && !link) return undefined;
  const guid = str(item.guid) ?? str(item.id) ?? str(item['rdf:about']);
  const categories = categoryTexts(item.rawCategories);
  const bodies = [str(item.summary), str(item.content), str(item['content:encoded'])];
  const summary = firstText(bodies);
  // Atom's raw <published>/<updated> first: for Atom, rss-parser's `pubDate` is its own host-zone reading of them.
  const published =
    isoDate(item.published) ?? isoDate(item.updated) ?? isoDate(item.pubDate) ?? isoDate(item.date) ?? fallbackDate;
  const severity = leadingRating(title) ?? categoryRating(categories);
  const pkg = title === undefined ? undefined : PACKAGE_TITLE.exec(title)?.[1];
  const product: AffectedProduct | undefined =
    pkg === undefined ? undefined : options.vendor === undefined ? { product: pkg } : { vendor: options.vendor, product: pkg };
  return {
    id: `${doc.sourceId}:${stableId(title, link, guid)}`,
    kind: 'advisory',
    source: { kind: 'rss', id: doc.sourceId },
    title: title || (link ?? ''),
    ...(link ? { url: link } : {}),
    ...(summary ? { summary: truncate(summary) } : {}),
    published,
    modified: isoDate(item.updated) ?? published,
    ...(severity === undefined ? {} : { vendorSeverity: severity }),
    cvss: [],
    cves: cveIds([title, ...bodies, ...categories]),
    aliases: [],
    exploited: {},
    products: product === undefined ? [] : [product],
    remediation: link ? { url: link } : {},
    signature: { status: 'not-checked' },
  };
}

/**
 * The item's link unless it names a scheme other than http(s): a `javascript:` or `data:` link
 * would become a clickable link in every alert email and in the Atom feed. Relative links stay as they were.
 */
function safeLink(link: string | undefined): string | undefined {
  if (!link) return undefined;
  return /^[a-z][a-z0-9+.-]*:/i.test(link) && !/^https?:/i.test(link) ? undefined : link;
}

/** The advisory id in title, link or guid (upper-cased), else the guid, else the link, else a hash of the title. */
function stableId(title: string | undefined, link: string | undefined, guid: string | undefined): string {
  for (const text of [title, link, guid]) {
    const found = text === undefined ? undefined : ADVISORY_ID_RE.exec(text)?.[0];
    if (found !== undefined) return found.toUpperCase().replace(/\s+/g, '-');
  }
  return guid?.trim() || link || sha256Hex(title ?? '');
}

function leadingRating(title: string | undefined): string | undefined {
  const m = title === undefined ? null : LEADING_RATING.exec(title);
  return m === null ? undefined : (m[1] ?? m[2] ?? m[3]);
}

function categoryRating(categories: readonly string[]): string | undefined {
  for (const c of categories) {
    const m = CATEGORY_RATING.exec(c);
    if (m?.[1] !== undefined) return m[1];
  }
  return undefined;
}

function cveIds(texts: readonly (string | undefined)[]): string[] {
  const seen = new Set<string>();
  for (const text of texts) for (const m of text?.matchAll(CVE_RE) ?? []) seen.add(m[0].toUpperCase());
  return [...seen];
}

/** RSS <category>text</category>, <category domain="…">text</category>, Atom <category term="…"/>. */
function categoryTexts(raw: unknown): string[] {
  if (!Array.isArray(raw)) return [];
  const out: string[] = [];
  for (const c of raw as unknown[]) {
    const attrs = isRecord(c) && isRecord(c.$) ? c.$ : {};
    const text = str(c) ?? (isRecord(c) ? str(c._) : undefined) ?? str(attrs.term) ?? str(attrs.label);
    if (text?.trim()) out.push(text.trim());
  }
  return out;
}

/** Plain text of an HTML fragment: no tags, no comments or scripts, entities decoded, whitespace collapsed. */
function htmlToText(html: string): string {
  const stripped = html
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<\/?[a-z][^<>]*>/gi, ' ');
  return decodeEntities(stripped).replace(/\s+/g, ' ').trim();
}

/**
 * The text of the first body that has any. Stops there: rss-parser fills `content` and `summary`
 * from the same description, and stripping each was a third of our time over bare rss-parser
 * (bench/rss.ts profile).
 */
function firstText(bodies: readonly (string | undefined)[]): string | undefined {
  for (const body of bodies) {
    const text = body === undefined ? '' : htmlToText(body.slice(0, SUMMARY_SCAN_MAX));
    if (text) return text;
  }
  return undefined;
}

function cleanText(text: string | undefined): string | undefined {
  return text === undefined ? undefined : htmlToText(text);
}

function truncate(text: string): string {
  if (text.length <= SUMMARY_MAX) return text;
  const cut = text.slice(0, SUMMARY_MAX - 1);
  const space = cut.lastIndexOf(' ');
  return `${space > SUMMARY_MAX / 2 ? cut.slice(0, space) : cut}\u2026`;
}

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', hellip: '\u2026', mdash: '\u2014',
  ndash: '\u2013', lsquo: '\u2018', rsquo: '\u2019', ldquo: '\u201c', rdquo: '\u201d', copy: '\u00a9', reg: '\u00ae',
};

function decodeEntities(text: string): string {
  return text.replace(/&(?:#(\d{1,7})|#x([0-9a-f]{1,6})|([a-z]{2,8}));/gi, (all, dec?: string, hex?: string, name?: string) => {
    if (name !== undefined) return NAMED_ENTITIES[name.toLowerCase()] ?? all;
    const code = dec !== undefined ? Number(dec) : Number.parseInt(hex ?? '', 16);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : all;
  });
}

/** UTF-16 by BOM, else the XML declaration's encoding when the platform knows it, else UTF-8. */
function decodeXml(body: Uint8Array): string {
  if (body[0] === 0xfe && body[1] === 0xff) return new TextDecoder('utf-16be').decode(body);
  if (body[0] === 0xff && body[1] === 0xfe) return new TextDecoder('utf-16le').decode(body);
  const head = new TextDecoder('latin1').decode(body.subarray(0, 256));
  const label = /^(?:\uFEFF|\u00EF\u00BB\u00BF)?\s*<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head)?.[1];
  try {
    return new TextDecoder(label ?? 'utf-8').decode(body);
  } catch {
    return new TextDecoder('utf-8').decode(body);
  }
}

/** ISO 8601 or RFC 822 → ISO 8601 UTC; a date-time without a zone is taken as UTC, never as host time. */
function isoDate(value: unknown): string | undefined {
  let text = str(value)?.trim();
  if (!text) return undefined;
  if (/^\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d+)?)?$/.test(text)) text += 'Z';
  else if (/\s\d{1,2}:\d\d(?::\d\d)?$/.test(text)) text += ' GMT'; // RFC 822 without its zone
  const time = new Date(text).getTime();
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

/** rss-parser's values come from XML: a string, or an object when the element had attributes or markup. */
function str(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (isRecord(value) && typeof value._ === 'string') return value._;
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
