// Inventory as YAML (the config's form, README "Inventory"), read entry by entry for an import:
// one bad entry is an error naming its line, the others are imported.
import { isMap, isNode, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import { ParseError } from '../errors.js';
import { createCollector, type InventoryRead } from './collect.js';

const TOP_LEVEL = new Set(['collection', 'items']);

/** `collection` is the import's target when given; else the file's `collection:`, else `fallback`. */
export function readInventoryYaml(text: string, file: string, collection: string | undefined, fallback: string): InventoryRead {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const fail = (message: string): never => {
    throw new ParseError('inventory-yaml', `${file}: ${message}`);
  };
  if (doc.errors.length > 0) fail(`not YAML: ${doc.errors[0]!.message}`);
  const root = doc.contents;
  if (!isMap(root)) return fail('expected a mapping with "items:" (and optionally "collection:")');
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    if (!TOP_LEVEL.has(key)) fail(`unknown top-level key "${key}" (expected "collection" and "items")`);
  }
  const fileCollection = root.get('collection');
  if (fileCollection !== undefined && (typeof fileCollection !== 'string' || fileCollection === '')) fail('collection: expected a non-empty string');
  const items = root.get('items', true);
  if (!isSeq(items)) return fail('items: expected a list of inventory items');

  const out = createCollector(file, 'yaml', collection ?? (fileCollection as string | undefined) ?? fallback);
  for (const [i, node] of items.items.entries()) {
    const offset = isNode(node) ? node.range?.[0] : undefined;
    const where = offset === undefined ? `items[${i}]` : `line ${lines.linePos(offset).line} (items[${i}])`;
    out.add(where, isNode(node) ? withVersionAsWritten(node.toJS(doc), node, text) : node);
  }
  return out.result();
}

/**
 * `version: 1.10` is the number 1.1 to YAML; keep the text the operator wrote ("1.10"), since
 * 1.10 and 1.1 are different releases.
 */
function withVersionAsWritten(value: unknown, node: unknown, text: string): unknown {
  if (!isMap(node) || typeof value !== 'object' || value === null) return value;
  const version = node.get('version', true);
  if (!isScalar(version) || typeof version.value !== 'number' || !version.range) return value;
  return { ...value, version: text.slice(version.range[0], version.range[1]).trim() };
}
