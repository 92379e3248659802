// Well-formed XML as a stream of events, over htmlparser2 in xmlMode (https://github.com/fb55/htmlparser2):
// fast on multi-MB MSRC months where a validating parser takes seconds. htmlparser2 forgives; we do
// not: an element left open (a truncated download) or closed by another element's end tag is
// reported with its line. No tree is built: the reader (read-xml.ts) keeps only what it uses. With
// the tree a month cost 3.6–4.2× a bare htmlparser2 parse; streaming, 1.8–2.0× in place and 2.0–2.9×
// through the worker thread (bench/RESULTS.md, cvrf).
import { Parser } from 'htmlparser2';

/** What a reader is told, in document order. Names are local (the prefix dropped: CVRF mixes cvrf:, vuln:, prod:). */
export interface XmlEvents {
  open(name: string): void;
  /** An attribute of the element just opened, as written (qualified name); a repeated name comes again. */
  attribute(name: string, value: string): void;
  /** Character data inside the root element, possibly in several pieces (an entity is a piece of its own). */
  text(data: string): void;
  close(): void;
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

/**
 * Streams `text` to `events`; throws XmlSyntaxError when it is not one well-formed element (an
 * error may come after some events were sent: the reader's partial result is then thrown away).
 * Returns the root element's local name.
 */
export function streamXml(text: string, events: XmlEvents): string {
  let depth = 0;
  let roots = 0;
  let rootName = '';
  let ending = false;
  let failure: XmlSyntaxError | undefined;
  const lineAt = (index: number): number => {
    let line = 1;
    for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line++;
    return line;
  };
  const parser: Parser = new Parser(
    {
      // The name, then each attribute, rather than onopentag: with an onopentag handler htmlparser2
      // builds an attributes object for each of a month's ~106,000 elements, and the reader wants
      // the attributes of a few thousand (measured ~3 ms CPU a month, bench/RESULTS.md).
      onopentagname(qname) {
        // Thrown from the handler, this stops htmlparser2 mid-write: nothing past it is read.
        if (depth >= MAX_XML_DEPTH) throw new XmlSyntaxError(`elements nested deeper than ${MAX_XML_DEPTH} levels`, lineAt(parser.startIndex));
        const name = localName(qname);
        if (depth === 0 && roots++ === 0) rootName = name;
        depth++;
        events.open(name);
      },
      onattribute(name, value) {
        events.attribute(name, value);
      },
      onprocessinginstruction(name, data) {
        // htmlparser2 does not read a DTD's internal subset; we refuse it by name rather than let its
        // "]>" surface as stray text. Entities are never expanded and external ones never fetched.
        if (name.toLowerCase() === '!doctype' && data.includes('[')) {
          throw new XmlSyntaxError('a DOCTYPE with an internal subset (entity declarations) is refused', lineAt(parser.startIndex));
        }
      },
      ontext(data) {
        if (depth > 0) events.text(data);
        else if (data.trim() !== '') failure ??= new XmlSyntaxError('text outside the root element', lineAt(parser.startIndex));
      },
      onclosetag(name, isImplied) {
        // A self-closing tag arrives as an implied close while the parser is on that tag ("<b/>");
        // any other implied close happens on some other element's end tag ("</a>" closing an open
        // <b>): a missing end tag (truncation, or a mismatched end tag). "<b></a>" is the latter
        // although nothing came between the open and the close.
        if (ending) failure ??= new XmlSyntaxError(`unexpected end of document: <${name}> is not closed`, lineAt(text.length));
        else if (isImplied && text.charCodeAt(parser.startIndex + 1) === SLASH) failure ??= new XmlSyntaxError(`<${name}> is not closed`, lineAt(parser.startIndex));
        depth--;
        events.close();
      },
    },
    { xmlMode: true, decodeEntities: true, recognizeSelfClosing: true },
  );
  parser.write(text);
  ending = true;
  parser.end();
  if (failure) throw failure;
  if (roots !== 1) throw new XmlSyntaxError(roots === 0 ? 'no root element' : 'more than one root element');
  return rootName;
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
