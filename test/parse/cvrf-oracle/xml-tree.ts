// THE OLD READER, kept as the test oracle for the streaming reader (src/parse/cvrf/xml-stream.ts):
// src/parse/cvrf/xml-tree.ts as it was before the streaming rewrite, unchanged. Also used by
// test/parse/cvrf-json.test.ts to rewrite XML months into the JSON form. Do not "fix" it.
// A small element tree over htmlparser2 in xmlMode (https://github.com/fb55/htmlparser2): fast on
// multi-MB MSRC months (~0.1 s for 6.8 MB) where a validating parser takes seconds. htmlparser2
// forgives; we do not: an element left open (a truncated download) or closed by another element's
// end tag is reported with its line.
import { Parser } from 'htmlparser2';

/** One element: local name (namespace prefix dropped: CVRF mixes cvrf:, vuln:, prod:), attributes, children, text. */
export interface XmlElement {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: XmlElement[];
  text: string;
}

/** Why a document is not well-formed XML, with a 1-based line when known. */
export class XmlSyntaxError extends Error {
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(line === undefined ? message : `${message} (line ${line})`);
  }
}

/**
 * Deepest element nesting accepted. A real CVRF month nests about 8 levels; a hostile document of
 * nothing but open tags made parsing quadratic (400,000 `<a>`, 2.4 MB: over a minute), so it is
 * refused as soon as it goes deeper than this.
 */
export const MAX_XML_DEPTH = 256;

/** Parse `text` into its root element; throws XmlSyntaxError when it is not one well-formed element. */
export function parseXmlTree(text: string): XmlElement {
  const root: XmlElement = { name: '#document', attrs: {}, children: [], text: '' };
  const stack: XmlElement[] = [root];
  let ending = false;
  let failure: XmlSyntaxError | undefined;
  const lineAt = (index: number): number => {
    let line = 1;
    for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line++;
    return line;
  };
  const parser: Parser = new Parser(
    {
      onopentag(name, attrs) {
        // Thrown from the handler, this stops htmlparser2 mid-write: nothing past it is read.
        if (stack.length > MAX_XML_DEPTH) throw new XmlSyntaxError(`elements nested deeper than ${MAX_XML_DEPTH} levels`, lineAt(parser.startIndex));
        const el: XmlElement = { name: localName(name), attrs, children: [], text: '' };
        stack[stack.length - 1]!.children.push(el);
        stack.push(el);
      },
      onprocessinginstruction(name, data) {
        // htmlparser2 does not read a DTD's internal subset; we refuse it by name rather than let its
        // "]>" surface as stray text. Entities are never expanded and external ones never fetched.
        if (name.toLowerCase() === '!doctype' && data.includes('[')) {
          throw new XmlSyntaxError('a DOCTYPE with an internal subset (entity declarations) is refused', lineAt(parser.startIndex));
        }
      },
      ontext(data) {
        const top = stack[stack.length - 1]!;
        if (top === root) {
          if (data.trim() !== '') failure ??= new XmlSyntaxError('text outside the root element', lineAt(parser.startIndex));
        } else if (top.children.length === 0 || data.trim() !== '') {
          // Indentation between child elements is never read (only leaves' text is); skipping it
          // spares ~100k string concatenations a month.
          top.text += data;
        }
      },
      onclosetag(name, isImplied) {
        // A self-closing tag arrives as an implied close while the parser is on that tag ("<b/>");
        // any other implied close happens on some other element's end tag ("</a>" closing an open
        // <b>): a missing end tag (truncation, or a mismatched end tag). "<b></a>" is the latter
        // although nothing came between the open and the close.
        if (ending) failure ??= new XmlSyntaxError(`unexpected end of document: <${name}> is not closed`, lineAt(text.length));
        else if (isImplied && text.charCodeAt(parser.startIndex + 1) === SLASH) failure ??= new XmlSyntaxError(`<${name}> is not closed`, lineAt(parser.startIndex));
        stack.pop();
      },
    },
    { xmlMode: true, decodeEntities: true, recognizeSelfClosing: true },
  );
  parser.write(text);
  ending = true;
  parser.end();
  if (failure) throw failure;
  const elements = root.children;
  if (elements.length !== 1) throw new XmlSyntaxError(elements.length === 0 ? 'no root element' : 'more than one root element');
  return elements[0]!;
}

const SLASH = 0x2f;

/**
 * qname → local name. A month has ~100k elements but a few dozen names: reusing one string per
 * name measured 3.0–3.1× the bare parse against 3.3–3.5× slicing each (less garbage to collect).
 */
const localNames = new Map<string, string>();

function localName(qname: string): string {
  let name = localNames.get(qname);
  if (name === undefined) {
    const colon = qname.indexOf(':');
    name = colon === -1 ? qname : qname.slice(colon + 1);
    // Bounded: a hostile document could invent endless names.
    if (localNames.size < 1024) localNames.set(qname, name);
  }
  return name;
}

/** Direct children named `name`. */
export function childrenNamed(el: XmlElement | undefined, name: string): XmlElement[] {
  return el === undefined ? [] : el.children.filter((c) => c.name === name);
}

/** The first direct child named `name`. */
export function child(el: XmlElement | undefined, name: string): XmlElement | undefined {
  return el?.children.find((c) => c.name === name);
}

/** Trimmed text of the first child named `name`; undefined when absent or empty. */
export function childText(el: XmlElement | undefined, name: string): string | undefined {
  const t = child(el, name)?.text.trim();
  return t === undefined || t === '' ? undefined : t;
}
