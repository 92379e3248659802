// Field extraction with cheerio (https://cheerio.js.org/docs/basics/selecting; css-select syntax).
// Text comes from cheerio's decoded text nodes only, so no markup or script ever reaches a field.
import { loadBuffer, type Cheerio, type CheerioAPI } from 'cheerio';
import type { AnyNode } from 'domhandler';
import type { FieldSpec, HtmlFieldsSpec, HtmlPageSpec, ProductRowsSpec } from './spec.js';

/** What the selectors found in one advisory (a page or a section of it), still as text. */
export interface HtmlRecord {
  readonly anchor?: string;
  readonly title?: string;
  readonly date?: string;
  readonly id?: string;
  readonly severity?: string;
  readonly cves: readonly string[];
  readonly summary?: string;
  readonly products: readonly { name: string; kb?: string; severity?: string; fixed?: string }[];
}

/** A selector that found nothing where something was required. */
export class SelectorMiss extends Error {
  constructor(
    readonly field: string,
    readonly selector: string,
    readonly where: string,
    /** Set when the selector matched but this pattern found nothing in its text. */
    readonly pattern?: string,
  ) {
    const what = pattern === undefined ? 'matched nothing' : `matched, but its pattern /${pattern}/ found nothing in the text`;
    super(`selector "${selector}" for ${field} ${what}${where ? ` in ${where}` : ''}`);
  }
}

/** DOM nodeType numbers (domhandler follows the DOM): elements and text. */
const ELEMENT = 1;
const TEXT = 3;
const BLOCK = new Set(['p', 'div', 'li', 'tr', 'td', 'th', 'table', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'section', 'article', 'pre', 'dd', 'dt']);

/** Load an HTML page (encoding sniffed from BOM, meta charset or defaulting to UTF-8), without script and style. */
export function loadPage(body: Uint8Array): CheerioAPI {
  const $ = loadBuffer(Buffer.from(body.buffer, body.byteOffset, body.byteLength));
  $('script, style, noscript, template').remove();
  return $;
}

/** One record per section (or one for the page); throws SelectorMiss for a required field or section selector that finds nothing. */
export function extractRecords($: CheerioAPI, spec: HtmlPageSpec & { fields: HtmlFieldsSpec }): HtmlRecord[] {
  if (!spec.section) return [readRecord($, $.root(), spec.fields, '', undefined)];
  const starts = $(spec.section).toArray();
  if (starts.length === 0) throw new SelectorMiss('section', spec.section, 'the page');
  const startSet = new Set<AnyNode>(starts);
  return starts.map((start, i) => {
    // A section is its start element and the siblings after it, up to the next start.
    const members: AnyNode[] = [start];
    for (let n = start.nextSibling; n && !startSet.has(n) && !containsAny($, n, startSet); n = n.nextSibling) members.push(n);
    const wrapper = $('<div></div>').append($(members).clone());
    const anchor = $(start).attr('id');
    return readRecord($, wrapper, spec.fields, `section ${i + 1}${anchor ? ` (#${anchor})` : ''}`, anchor);
  });
}

function containsAny($: CheerioAPI, n: AnyNode, set: ReadonlySet<AnyNode>): boolean {
  return n.nodeType === ELEMENT && $(n).find('*').toArray().some((d) => set.has(d));
}

function readRecord($: CheerioAPI, scope: Cheerio<AnyNode>, f: HtmlFieldsSpec, where: string, anchor: string | undefined): HtmlRecord {
  const required = (name: string, spec: FieldSpec): string => {
    const v = readOne($, scope, spec);
    if (v === undefined) {
      const pattern = typeof spec === 'string' ? undefined : spec.pattern;
      const found = scope.find(selectorOf(spec)).length > 0;
      throw new SelectorMiss(name, selectorOf(spec), where, found && pattern !== undefined ? pattern : undefined);
    }
    return v;
  };
  const title = required('title', f.title);
  const date = required('date', f.date);
  const id = f.id ? required('id', f.id) : undefined;
  const severity = f.severity ? readOne($, scope, f.severity) : undefined;
  const summary = f.summary ? readOne($, scope, f.summary) : undefined;
  const cves = f.cves ? [...new Set(readAll($, scope, f.cves).join(' ').toUpperCase().match(/CVE-\d{4}-\d{4,}/g) ?? [])] : [];
  const products = f.products ? readProducts($, scope, f.products) : [];
  return {
    ...(anchor ? { anchor } : {}),
    title,
    date,
    ...(id ? { id } : {}),
    ...(severity ? { severity } : {}),
    ...(summary ? { summary } : {}),
    cves,
    products,
  };
}

function readProducts($: CheerioAPI, scope: Cheerio<AnyNode>, spec: FieldSpec | ProductRowsSpec): HtmlRecord['products'] {
  if (typeof spec === 'string' || !('rows' in spec)) return readAll($, scope, spec).map((name) => ({ name }));
  return scope
    .find(spec.rows)
    .toArray()
    .flatMap((row) => {
      const r = $(row);
      const name = readOne($, r, spec.name);
      if (!name) return [];
      const kb = spec.kb ? readOne($, r, spec.kb) : undefined;
      const severity = spec.severity ? readOne($, r, spec.severity) : undefined;
      const fixed = spec.fixed ? readOne($, r, spec.fixed) : undefined;
      return [{ name, ...(kb ? { kb } : {}), ...(severity ? { severity } : {}), ...(fixed ? { fixed } : {}) }];
    });
}

/** The first non-empty value the field's selector yields. */
function readOne($: CheerioAPI, scope: Cheerio<AnyNode>, spec: FieldSpec): string | undefined {
  return readAll($, scope, spec)[0];
}

/** Every non-empty value: per element, its text (or attribute), through the pattern when one is set. */
function readAll($: CheerioAPI, scope: Cheerio<AnyNode>, spec: FieldSpec): string[] {
  const s = typeof spec === 'string' ? { selector: spec } : spec;
  const re = s.pattern === undefined ? undefined : new RegExp(s.pattern, 'i');
  const out: string[] = [];
  for (const el of scope.find(s.selector).toArray()) {
    const raw = (s.attr ? ($(el).attr(s.attr) ?? '') : textOf(el)).replace(/\s+/g, ' ').trim();
    const m = re ? re.exec(raw) : undefined;
    const value = (re ? (m ? (m[1] ?? m[0]) : '') : raw).replace(/\s+/g, ' ').trim();
    if (value) out.push(value);
  }
  return out;
}

function selectorOf(spec: FieldSpec): string {
  return typeof spec === 'string' ? spec : spec.selector;
}

/** Text of an element with <br> and block boundaries as white space (cheerio's .text() glues "a<br>b" into "ab"). */
export function textOf(node: AnyNode): string {
  const parts: string[] = [];
  const walk = (n: AnyNode): void => {
    if (n.nodeType === TEXT && 'data' in n) parts.push(n.data);
    else if (n.nodeType === ELEMENT && 'name' in n && 'children' in n) {
      if (n.name === 'br') parts.push('\n');
      const block = BLOCK.has(n.name);
      if (block) parts.push(' ');
      for (const c of n.children) walk(c);
      if (block) parts.push(' ');
    } else if ('children' in n) {
      for (const c of n.children) walk(c);
    }
  };
  walk(node);
  return parts.join('');
}
