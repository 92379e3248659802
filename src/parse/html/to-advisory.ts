// Pages without a feed (DESIGN.md "html"): an HTML page read with the source's selectors (spec.ts),
// or a plain-text advisory (OpenSSL secadv .txt). One advisory per page or per section.
import { ParseError } from '../../errors.js';
import type { ParsedAdvisory } from '../../model/advisory.js';
import type { RawDocument } from '../../model/raw-document.js';
import type { Parser } from '../parser.js';
import { pageDate } from './dates.js';
import { extractRecords, loadPage, SelectorMiss, type HtmlRecord } from './extract.js';
import { parsePlainTextAdvisory } from './plain-text.js';
import type { HtmlPageSpec } from './spec.js';

const FORMAT = 'html';

/** Is the body HTML (by content type, else by its first bytes)? */
export function isHtml(doc: RawDocument): boolean {
  const type = doc.contentType?.split(';')[0]?.trim().toLowerCase();
  if (type === 'text/plain') return false;
  if (type === 'text/html' || type === 'application/xhtml+xml') return true;
  const head = new TextDecoder('utf-8').decode(doc.body.subarray(0, 2048)).trimStart().toLowerCase();
  return /^(?:<!doctype html|<html|<head|<body|<!--|<meta|<div|<table|<h1)/.test(head);
}

// eslint-disable-next-line @typescript-eslint/require-await -- a Parser is async; this one has nothing to wait for
export const parseHtml: Parser = async (doc, options) => parseHtmlSync(doc, options?.html);

/** Pure: page + selectors → advisories. A selector that finds nothing is a ParseError naming the page and selector (the pipeline adds the source). */
export function parseHtmlSync(doc: RawDocument, spec: HtmlPageSpec | undefined): ParsedAdvisory[] {
  if (!isHtml(doc)) return parsePlainTextAdvisory(doc, new TextDecoder('utf-8').decode(doc.body));
  const fields = spec?.fields;
  if (!fields) {
    throw new ParseError(FORMAT, `${doc.url}: an HTML page needs selectors (the html source's "fields"; for secwatch parse: --config FILE --source-id ID)`);
  }
  let records: HtmlRecord[];
  try {
    records = extractRecords(loadPage(doc.body), { ...spec, fields });
  } catch (err) {
    if (err instanceof SelectorMiss) throw new ParseError(FORMAT, `${doc.url}: ${err.message}`, { cause: err, where: err.selector });
    // css-select throws on a selector it cannot parse: that is the config's fault, said the same way.
    throw new ParseError(FORMAT, `${doc.url}: ${(err as Error).message}`, { cause: err });
  }
  const dateFormat = typeof fields.date === 'object' ? fields.date.format : undefined;
  const prefix = spec.idPrefix ?? doc.sourceId;
  return records.map((r, i): ParsedAdvisory => {
    const published = pageDate(r.date!, dateFormat);
    const where = r.anchor ? `#${r.anchor}` : records.length > 1 ? `section ${i + 1}` : '';
    if (!published) throw new ParseError(FORMAT, `${doc.url}${where ? ` ${where}` : ''}: date "${r.date!}" is not a date${dateFormat ? ` in the format ${dateFormat}` : ''}`);
    const local = r.id ?? r.anchor ?? (r.cves.length === 1 ? r.cves[0]! : `${doc.url}${records.length > 1 ? `#${i + 1}` : ''}`);
    return {
      id: `${prefix}:${local}`,
      kind: 'advisory',
      source: { kind: doc.sourceKind, id: doc.sourceId },
      title: r.title!,
      url: r.anchor ? `${doc.url.split('#')[0]!}#${r.anchor}` : doc.url,
      ...(r.summary ? { summary: r.summary } : {}),
      published,
      modified: published,
      ...(r.severity ? { vendorSeverity: r.severity } : {}),
      cvss: [],
      cves: [...r.cves],
      aliases: [],
      exploited: {},
      products: r.products.map((p) => ({
        ...(spec.vendor ? { vendor: spec.vendor } : {}),
        product: p.name,
        ...(p.kb ? { kb: p.kb.match(/\d{6,8}/)?.[0] ?? p.kb } : {}),
        ...(p.severity ? { severity: p.severity } : {}),
        ...(p.fixed ? { fixed: [p.fixed] } : {}),
      })),
      remediation: kbsOf(r),
      signature: { status: 'not-checked' },
    };
  });
}

function kbsOf(r: HtmlRecord): { kbs?: string[] } {
  const kbs = [...new Set(r.products.map((p) => p.kb?.match(/\d{6,8}/)?.[0]).filter((k): k is string => k !== undefined))];
  return kbs.length > 0 ? { kbs } : {};
}
