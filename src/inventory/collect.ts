// What reading an inventory file gives: the items that passed, and one error per entry that did not.
import type { InventoryItem } from '../model/inventory.js';
import { checkItem } from './validate.js';

export type InventoryFormat = 'yaml' | 'csv' | 'cyclonedx';

/** One entry that could not be imported; `where` is "line 7" (YAML, CSV) or "components[2] (bom-ref …)". */
export interface InventoryRowError {
  readonly file: string;
  readonly where: string;
  readonly message: string;
}

export interface InventoryRead {
  readonly file: string;
  readonly format: InventoryFormat;
  /** The one collection the items belong to (and an import replaces). */
  readonly collection: string;
  readonly items: readonly InventoryItem[];
  readonly errors: readonly InventoryRowError[];
}

/** "servers.csv: line 4: instances: …": file, entry and cause on one line. */
export function formatRowError(e: InventoryRowError): string {
  return `${e.file}: ${e.where}: ${e.message}`;
}

/** Gathers checked entries in file order; a name seen twice in the collection is an error on the second. */
export function createCollector(file: string, format: InventoryFormat, collection: string) {
  const items: InventoryItem[] = [];
  const errors: InventoryRowError[] = [];
  const seen = new Map<string, string>();
  return {
    fail(where: string, message: string): void {
      errors.push({ file, where, message });
    },
    add(where: string, candidate: unknown): void {
      const checked = checkItem(candidate, collection);
      if ('problem' in checked) {
        errors.push({ file, where, message: checked.problem });
        return;
      }
      const first = seen.get(checked.item.name);
      if (first !== undefined) {
        errors.push({ file, where, message: `name "${checked.item.name}" is already used at ${first} (names are unique within a collection)` });
        return;
      }
      seen.set(checked.item.name, where);
      items.push(checked.item);
    },
    result(): InventoryRead {
      return { file, format, collection, items, errors };
    },
  };
}

export type Collector = ReturnType<typeof createCollector>;
