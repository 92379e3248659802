export { loadInventory, loadInventoryFile } from './load.js';
