import { ParseError } from '../../errors.js';
import type { AffectedProduct, ParsedAdvisory } from '../../model/advisory.js';
import { baseAdvisory, cveIds, oneLine, publishedOf, readDate, type TextMeta } from './meta.js';

// OpenSSL security advisories (https://openssl-library.org/news/secadv/, mailed to
// openssl-announce and oss-security): "OpenSSL Security Advisory [8th April 2024]", then per
// issue a "Title (CVE-…)" heading underlined with "=", "Severity: Low", text, "OpenSSL 3.2, 3.1
// are vulnerable to this issue." and "OpenSSL 3.2 users should upgrade to OpenSSL 3.2.2".

const HEADER = /OpenSSL Security Advisory\s*\[([^\]\n]+)\]/;

export function isOpensslAdvisory(text: string): boolean {
  return HEADER.test(text.slice(0, 4000));
}

/** One advisory per issue section, id `openssl:CVE-…` (the web copy and the mailed copy agree). */
export function parseOpensslAdvisory(text: string, meta: TextMeta): ParsedAdvisory[] {
  const src = text.replace(/\r\n?/g, '\n');
  const head = HEADER.exec(src);
  if (!head) throw new ParseError('text', `${meta.url ?? 'text'}: no "OpenSSL Security Advisory [date]" header`);
  const day = readDate(head[1]!);
  const published = publishedOf(day, meta);
  if (!published) throw new ParseError('text', `${meta.url ?? 'text'}: OpenSSL advisory date "${head[1]!}" unreadable`);
  const url = /^https?:\/\/\S+\/secadv\/\S+\.txt$/m.exec(src)?.[0] ?? meta.url;
  const headings = [...src.matchAll(/^([^\n=][^\n]*)\n=+[ \t]*$/gm)].map((m) => ({ title: m[1]!.trim(), start: m.index, end: m.index + m[0].length }));
  const out: ParsedAdvisory[] = [];
  headings.forEach((h, i) => {
    const cves = cveIds(h.title);
    if (cves.length === 0) return;
    const body = src.slice(h.end, headings[i + 1]?.start ?? src.length);
    const severity = /^Severity:\s*([A-Za-z]+)/im.exec(body)?.[1];
    const products = affected(body);
    const fixedVersions = products.flatMap((p) => p.fixed ?? []);
    const paragraphs = body.trim().split(/\n\s*\n/);
    const stated = paragraphs.find((p) => /^Issue summary:/i.test(p.trim()));
    const summary = stated ? stated.trim().replace(/^Issue summary:\s*/i, '') : (paragraphs.find((p) => !/^Severity:/i.test(p.trim())) ?? '');
    out.push({
      ...baseAdvisory(meta),
      id: `openssl:${cves[0]!}`,
      title: `OpenSSL: ${h.title.replace(/\s*\((?:CVE-\d{4}-\d{4,}[,\s]*)+\)\s*$/i, '')}`,
      ...(url ? { url } : {}),
      summary: oneLine(summary),
      published,
      modified: published,
      ...(severity ? { vendorSeverity: severity.toUpperCase() } : {}),
      cves,
      aliases: day ? [`openssl-secadv-${day.replaceAll('-', '')}`] : [],
      products,
      remediation: { ...(fixedVersions.length > 0 ? { fixedVersions } : {}), ...(url ? { url } : {}) },
    });
  });
  if (out.length === 0) throw new ParseError('text', `${meta.url ?? 'text'}: OpenSSL advisory without any "Title (CVE-…)" section`);
  return out;
}

/** Release lines named vulnerable, each with the version its users should upgrade to. */
function affected(body: string): AffectedProduct[] {
  const flat = oneLine(body);
  const fixes = new Map<string, string>();
  for (const m of flat.matchAll(/OpenSSL (\d+\.\d+(?:\.\d+)?) users should upgrade to (?:OpenSSL )?(\d+\.\d+\.\d+[a-z]*)/g)) fixes.set(m[1]!, m[2]!);
  // Older advisories: "Affected users should upgrade to OpenSSL 1.0.1g" (the line is the version without its letter).
  if (fixes.size === 0) for (const m of flat.matchAll(/upgrade to OpenSSL (\d+\.\d+\.\d+)([a-z]*)/g)) fixes.set(m[1]!, m[1]! + m[2]!);
  const lines = new Set<string>();
  for (const m of flat.matchAll(/OpenSSL ((?:\d+\.\d+(?:\.\d+)?(?:,\s*|\s+and\s+)?)+) (?:is|are) vulnerable/g)) {
    for (const v of m[1]!.split(/,\s*|\s+and\s+/)) if (v) lines.add(v.trim());
  }
  for (const line of fixes.keys()) lines.add(line);
  return [...lines].map((line) => {
    const fixed = fixes.get(line);
    const segs = line.split('.').map(Number);
    const from = segs.length === 2 ? `${line}.0` : line;
    // No fix named for the line: the whole line (3.2 → <3.3.0; 1.1.1 → <1.1.2, letter releases included).
    const next = segs.length === 2 ? `${segs[0]!}.${segs[1]! + 1}.0` : `${segs[0]!}.${segs[1]!}.${segs[2]! + 1}`;
    return {
      vendor: 'OpenSSL',
      product: 'OpenSSL',
      ranges: [`>=${from}, <${fixed ?? next}`],
      ...(fixed ? { fixed: [fixed] } : {}),
    };
  });
}
