import { ParseError } from '../../errors.js';
import type { AffectedProduct, ParsedAdvisory } from '../../model/advisory.js';
import { baseAdvisory, cveIds, oneLine, publishedOf, readDate, type TextMeta } from './meta.js';

// Debian Security Advisories as mailed to debian-security-announce (and Debian LTS DLAs, same
// layout): a header naming DSA-NNNN-N and the date, "Package : x", "CVE ID : …" (continued on
// indented lines), prose, then "For the stable distribution (jessie), these problems have been
// fixed in version 4.9.0-1~deb8u1." per release. DSAs carry no rating of their own.

const HEADER = /Debian (?:LTS |Security )*Advisory\s+(D[SL]A-\d+-\d+)/;

export function isDebianAdvisory(text: string): boolean {
  return HEADER.test(text.slice(0, 4000));
}

/** One advisory per DSA/DLA, id `debian:DSA-3775-1`. */
export function parseDebianAdvisory(text: string, meta: TextMeta): ParsedAdvisory {
  const src = text.replace(/\r\n?/g, '\n');
  const head = HEADER.exec(src);
  if (!head) throw new ParseError('text', `${meta.url ?? 'text'}: no "Debian Security Advisory DSA-…" header`);
  const dsa = head[1]!;
  const pkg = /^Package\s*:\s*(\S+)/m.exec(src)?.[1];
  if (!pkg) throw new ParseError('text', `${meta.url ?? 'text'}: ${dsa} without a "Package :" line`);
  const day = readDate(src.slice(head.index, head.index + 400));
  const published = publishedOf(day, meta);
  if (!published) throw new ParseError('text', `${meta.url ?? 'text'}: ${dsa} without a date`);
  const fields = headerFields(src);
  const cves = cveIds(fields.get('cve id') ?? src);
  const fixes = releaseFixes(src);
  const products: AffectedProduct[] = fixes.map((f) => ({
    vendor: 'Debian',
    product: pkg,
    purl: `pkg:deb/debian/${pkg}?distro=${f.release}`,
    fixed: [f.version],
  }));
  const [, kind, num] = /^(D[SL]A)-(\d+)/.exec(dsa)!;
  const year = published.slice(0, 4);
  const url = kind === 'DSA' ? `https://www.debian.org/security/${year}/dsa-${num!}` : `https://www.debian.org/lts/security/${year}/dla-${num!}`;
  const bugs = (fields.get('debian bug') ?? '').match(/\d+/g) ?? [];
  return {
    ...baseAdvisory(meta),
    id: `debian:${dsa}`,
    // Built from the text, not the Subject: a forward's subject is the forwarder's ("FW: …]").
    title: `${dsa} ${pkg} - security update`,
    url,
    summary: oneLine(firstParagraphAfterFields(src)),
    published,
    modified: published,
    cves,
    aliases: [dsa, ...bugs.map((b) => `debian-bug:${b}`)],
    products,
    remediation: { fixedVersions: [...new Set(fixes.map((f) => f.version))], url },
  };
}

/** "Name : value" lines of the header block, continuation lines joined (keys lower-case). */
function headerFields(src: string): Map<string, string> {
  const out = new Map<string, string>();
  let last: string | undefined;
  for (const line of src.split('\n')) {
    const m = /^([A-Z][A-Za-z ]+?)\s*:\s(.*)$/.exec(line);
    if (m && !/^https?$/i.test(m[1]!)) {
      last = m[1]!.toLowerCase();
      out.set(last, m[2]!.trim());
    } else if (last && /^\s{4,}\S/.test(line)) out.set(last, `${out.get(last)!} ${line.trim()}`);
    else if (line.trim() === '' && out.size > 0) break;
    else last = undefined;
  }
  return out;
}

function firstParagraphAfterFields(src: string): string {
  const paragraphs = src.split(/\n\s*\n/);
  const i = paragraphs.findIndex((p) => /^Package\s*:/m.test(p));
  return paragraphs.slice(i + 1).find((p) => p.trim() !== '') ?? '';
}

/** "For the stable distribution (jessie), these problems have been fixed in version X." per release. */
function releaseFixes(src: string): { release: string; version: string }[] {
  const flat = oneLine(src);
  const out: { release: string; version: string }[] = [];
  const re = /For the [\w -]*?distribution \(([a-z]+)\),? (?:these problems have|this problem has) been fixed in\s+version ([^\s,;]+?)\.?(?=\s|$)/gi;
  for (const m of flat.matchAll(re)) out.push({ release: m[1]!.toLowerCase(), version: m[2]! });
  return out;
}
