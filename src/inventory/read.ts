// One entry point for every inventory format: read the file, pick the format, return items + row errors.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { ConfigError, describeError } from '../errors.js';
import type { InventoryFormat, InventoryRead } from './collect.js';
import { readInventoryCsv } from './csv.js';
import { readInventoryCycloneDx } from './cyclonedx.js';
import { readInventoryYaml } from './yaml.js';

export { INVENTORY_FORMATS } from './formats.js';

export interface ReadInventoryOptions {
  /** The collection the items go into; default: YAML `collection:`, else the file name without extension. */
  readonly collection?: string;
  /** Default: from the extension (.yaml/.yml, .csv, .json), else from the content. */
  readonly format?: InventoryFormat;
}

/**
 * Read an inventory file. A file that cannot be read, or is not its format at all, throws
 * (ConfigError / ParseError naming the file); a bad entry is an error in `errors`, the rest are kept.
 */
export async function readInventory(file: string, options: ReadInventoryOptions = {}): Promise<InventoryRead> {
  let body: string;
  try {
    body = await readFile(file, 'utf8');
  } catch (err) {
    throw new ConfigError('inventory', `${file}: cannot read inventory: ${describeError(err)}`, { cause: err, code: 'CONFIG_UNREADABLE' });
  }
  return parseInventory(body, file, options);
}

/** The pure half of readInventory: `file` only names the source in messages and gives the default collection. */
export function parseInventory(body: string, file: string, options: ReadInventoryOptions = {}): InventoryRead {
  const format = options.format ?? detectFormat(file, body);
  const fallback = defaultCollection(file);
  if (options.collection !== undefined && options.collection.trim() === '') throw new ConfigError('inventory', `${file}: --collection is empty`);
  switch (format) {
    case 'yaml':
      return readInventoryYaml(body, file, options.collection, fallback);
    case 'csv':
      return readInventoryCsv(body, file, options.collection ?? fallback);
    case 'cyclonedx':
      return readInventoryCycloneDx(body, file, options.collection ?? fallback);
  }
}

/** Extension first; otherwise a JSON object naming bomFormat is CycloneDX, a first line with "name" and a comma is CSV. */
export function detectFormat(file: string, body: string): InventoryFormat {
  const lower = file.toLowerCase();
  if (lower.endsWith('.yaml') || lower.endsWith('.yml')) return 'yaml';
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.json')) return 'cyclonedx';
  const start = body.replace(/^\uFEFF/, '').trimStart();
  if (start.startsWith('{') && start.includes('"bomFormat"')) return 'cyclonedx';
  const firstLine = start.split(/\r?\n/, 1)[0] ?? '';
  if (firstLine.includes(',') && /(^|,)\s*"?name"?\s*(,|$)/i.test(firstLine)) return 'csv';
  return 'yaml';
}

/** "servers.csv" → "servers", "app.cdx.json" → "app". */
export function defaultCollection(file: string): string {
  return basename(file).replace(/\.(cdx\.json|bom\.json|json|csv|ya?ml)$/i, '') || 'default';
}
