// A MIME entity tree over the message's own bytes (RFC 2045/2046). mailparser decodes mail for
// reading; signatures need what it throws away: the exact bytes of each part, byte offsets and
// all (RFC 3156 §5: a PGP/MIME signature covers the first part as it stands between the
// boundaries). Bytes are handled as latin1 strings so string indices are byte offsets.

export interface MimeNode {
  /** "1", "1.2"…: where the part sits, for messages that name it ("" for the message itself). */
  readonly path: string;
  /** Lower-case type/subtype; text/plain when the entity does not say (RFC 2045 §5.2). */
  readonly contentType: string;
  readonly params: Readonly<Record<string, string>>;
  /** Lower-case Content-Transfer-Encoding; 7bit when absent. */
  readonly transferEncoding: string;
  /** The whole entity, header and body, exactly as in the message. */
  readonly raw: Uint8Array;
  /** The body, still transfer-encoded. */
  readonly body: Uint8Array;
  readonly children: readonly MimeNode[];
}

export interface MimeTree {
  readonly root: MimeNode;
  /** Structural faults ("part 1: closing boundary missing (truncated?)"); the tree holds what could be read. */
  readonly problems: readonly string[];
}

const MAX_DEPTH = 8;

/** Build the tree of a message; never throws (faults go to `problems`). */
export function parseMimeTree(message: Uint8Array): MimeTree {
  const problems: string[] = [];
  const root = entity(Buffer.from(message.buffer, message.byteOffset, message.byteLength).toString('latin1'), '', 0, problems);
  return { root, problems };
}

function entity(text: string, path: string, depth: number, problems: string[]): MimeNode {
  const where = path === '' ? 'message' : `part ${path}`;
  const split = /\r?\n\r?\n/.exec(text);
  // A part may start with the blank line (no header at all); a message cannot.
  const headerEnd = /^\r?\n/.test(text) ? 0 : split ? split.index : text.length;
  const bodyStart = headerEnd === 0 ? (text.startsWith('\r\n') ? 2 : text.startsWith('\n') ? 1 : 0) : split ? split.index + split[0].length : text.length;
  if (!split && headerEnd !== 0 && path === '') problems.push(`${where}: no blank line after the header (truncated?)`);
  const fields = readHeader(text.slice(0, headerEnd));
  const ct = parseContentType(fields.get('content-type'));
  const node = {
    path,
    contentType: ct.type,
    params: ct.params,
    transferEncoding: (fields.get('content-transfer-encoding') ?? '7bit').trim().toLowerCase(),
    raw: latin1Bytes(text),
    body: latin1Bytes(text.slice(bodyStart)),
  };
  if (!ct.type.startsWith('multipart/') && ct.type !== 'message/rfc822') return { ...node, children: [] };
  if (depth >= MAX_DEPTH) {
    problems.push(`${where}: nested deeper than ${MAX_DEPTH} levels; not read further`);
    return { ...node, children: [] };
  }
  const body = text.slice(bodyStart);
  if (ct.type === 'message/rfc822') return { ...node, children: [entity(body, childPath(path, 1), depth + 1, problems)] };
  const boundary = ct.params.boundary;
  if (!boundary) {
    problems.push(`${where}: ${ct.type} without a boundary parameter`);
    return { ...node, children: [] };
  }
  const parts = splitMultipart(body, boundary);
  if (parts.parts.length === 0) problems.push(`${where}: ${ct.type} boundary "${boundary}" never occurs`);
  else if (!parts.closed) problems.push(`${where}: ${ct.type} closing boundary missing (truncated?)`);
  return { ...node, children: parts.parts.map((p, i) => entity(p, childPath(path, i + 1), depth + 1, problems)) };
}

function childPath(parent: string, n: number): string {
  return parent === '' ? String(n) : `${parent}.${n}`;
}

/**
 * The parts between delimiter lines. The line break before a delimiter belongs to the delimiter
 * (RFC 2046 §5.1.1), so it is not part of the preceding part's bytes.
 */
export function splitMultipart(body: string, boundary: string): { parts: string[]; closed: boolean } {
  const esc = boundary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`(?:^|\\r?\\n)--${esc}(--)?[ \\t]*(?:\\r?\\n|$)`, 'g');
  const parts: string[] = [];
  let start: number | undefined;
  let closed = false;
  for (const m of body.matchAll(re)) {
    if (start !== undefined) parts.push(body.slice(start, m.index));
    if (m[1] === '--') {
      closed = true;
      break;
    }
    start = m.index + m[0].length;
  }
  if (!closed && start !== undefined) parts.push(body.slice(start));
  return { parts, closed };
}

/** Header fields by lower-case name (the first of each), continuation lines unfolded. */
function readHeader(header: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of header.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!out.has(name)) out.set(name, line.slice(colon + 1).trim());
  }
  return out;
}

function parseContentType(value: string | undefined): { type: string; params: Record<string, string> } {
  if (!value) return { type: 'text/plain', params: {} };
  const type = (value.split(';')[0] ?? '').trim().toLowerCase() || 'text/plain';
  const params: Record<string, string> = {};
  for (const m of value.matchAll(/;\s*([\w!#$%&'*+.^`|~-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]+))/g)) {
    params[m[1]!.toLowerCase()] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3]!;
  }
  return { type, params };
}

function latin1Bytes(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'latin1'));
}

/** RFC 3156 §5: the signed part with every line ending made CRLF. */
export function canonicalCrlf(bytes: Uint8Array): Uint8Array {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  return latin1Bytes(text.replace(/\r?\n/g, '\r\n'));
}

/** A leaf's body with its transfer encoding undone and its charset decoded. */
export function decodeText(node: MimeNode): string {
  const raw = Buffer.from(node.body.buffer, node.body.byteOffset, node.body.byteLength);
  let bytes: Buffer;
  if (node.transferEncoding === 'quoted-printable') bytes = decodeQuotedPrintable(raw.toString('latin1'));
  else if (node.transferEncoding === 'base64') bytes = Buffer.from(raw.toString('latin1').replace(/[^A-Za-z0-9+/=]/g, ''), 'base64');
  else bytes = raw;
  const charset = (node.params.charset ?? 'utf-8').toLowerCase();
  try {
    return new TextDecoder(charset === 'us-ascii' ? 'utf-8' : charset).decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes); // an unknown charset label: read as UTF-8
  }
}

/** RFC 2045 §6.7: "=XX" octets and "=" soft line breaks. */
export function decodeQuotedPrintable(text: string): Buffer {
  const joined = text.replace(/=\r?\n/g, '');
  const out: number[] = [];
  for (let i = 0; i < joined.length; i++) {
    const c = joined.charCodeAt(i);
    if (c === 0x3d && /^[0-9A-Fa-f]{2}$/.test(joined.slice(i + 1, i + 3))) {
      out.push(parseInt(joined.slice(i + 1, i + 3), 16));
      i += 2;
    } else out.push(c & 0xff);
  }
  return Buffer.from(out);
}
