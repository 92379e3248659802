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

/** Parse `text` into its root element; throws XmlSyntaxError when it is not one well-formed element. */
export function parseXmlTree(text: string): XmlElement {
  const root: XmlElement = { name: '#document', attrs: {}, children: [], text: '' };
  const stack: XmlElement[] = [root];
  let ending = false;
  let justOpened = false;
  let failure: XmlSyntaxError | undefined;
  const lineAt = (index: number): number => {
    let line = 1;
    for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line++;
    return line;
  };
  const parser: Parser = new Parser(
    {
      onopentag(name, attrs) {
        const el: XmlElement = { name: localName(name), attrs, children: [], text: '' };
        stack[stack.length - 1]!.children.push(el);
        stack.push(el);
        justOpened = true;
      },
      ontext(data) {
        const top = stack[stack.length - 1]!;
        if (top === root) {
          if (data.trim() !== '') failure ??= new XmlSyntaxError('text outside the root element', lineAt(parser.startIndex));
        } else {
          top.text += data;
        }
        justOpened = false;
      },
      onclosetag(name, isImplied) {
        // A self-closing tag arrives as an implied close right after its own open; any other implied
        // close means a missing end tag (truncation, or a mismatched end tag).
        if (ending) failure ??= new XmlSyntaxError(`unexpected end of document: <${name}> is not closed`, lineAt(text.length));
        else if (isImplied && !justOpened) failure ??= new XmlSyntaxError(`<${name}> is not closed`, lineAt(parser.startIndex));
        stack.pop();
        justOpened = false;
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

function localName(qname: string): string {
  const colon = qname.indexOf(':');
  return colon === -1 ? qname : qname.slice(colon + 1);
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
