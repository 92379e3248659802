export { loadInventory, loadInventoryFile } from './load.js';
export { readInventory, parseInventory, detectFormat, defaultCollection, INVENTORY_FORMATS, type ReadInventoryOptions } from './read.js';
export { formatRowError, type InventoryFormat, type InventoryRead, type InventoryRowError } from './collect.js';
export { effectiveInventory } from './effective.js';
