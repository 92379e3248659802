// The inventory file formats, apart from their readers so the CLI can list them as choices
// without loading yaml, csv-parse and packageurl-js (cold start).
import type { InventoryFormat } from './collect.js';

export const INVENTORY_FORMATS: readonly InventoryFormat[] = ['yaml', 'csv', 'cyclonedx'];
