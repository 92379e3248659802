import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ConfigError, describeError } from '../errors.js';
import type { InventoryItem } from '../model/inventory.js';
import { inventoryFileSchema } from './schema.js';

/**
 * Read an inventory YAML file. Items without a collection take the file's `collection:` or the
 * file name ("servers.yaml" → "servers"). Errors name the file and the item path.
 */
export async function loadInventoryFile(file: string): Promise<InventoryItem[]> {
  let raw: unknown;
  try {
    raw = parseYaml(await readFile(file, 'utf8'));
  } catch (err) {
    throw new ConfigError('inventory.files', `${file}: cannot read inventory: ${describeError(err)}`, { cause: err, code: 'CONFIG_UNREADABLE' });
  }
  const parsed = inventoryFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
    throw new ConfigError('inventory.files', `${file}: ${path || '(top level)'}: ${issue.message}`);
  }
  const fallback = parsed.data.collection ?? basename(file, extname(file));
  return parsed.data.items.map((item) => {
    const { collection, ...rest } = item;
    // zod leaves absent optional keys out, but exactOptionalPropertyTypes cannot see that.
    return { ...rest, collection: collection ?? fallback } as InventoryItem;
  });
}

/** Load several files; the same (collection, name) twice is an operator mistake worth naming. */
export async function loadInventory(files: readonly string[]): Promise<InventoryItem[]> {
  const all: InventoryItem[] = [];
  const seen = new Map<string, string>();
  for (const file of files) {
    for (const item of await loadInventoryFile(file)) {
      const key = `${item.collection}\u0000${item.name}`;
      const prior = seen.get(key);
      if (prior) throw new ConfigError('inventory.files', `${file}: item "${item.name}" in collection "${item.collection}" is also in ${prior}`);
      seen.set(key, file);
      all.push(item);
    }
  }
  return all;
}
