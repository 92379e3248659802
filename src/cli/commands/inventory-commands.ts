import { Option, type Command } from 'commander';
import { INVENTORY_FORMATS } from '../../inventory/formats.js';
import type { InventoryImportOptions, InventoryListOptions } from './inventory.js';

/** `secwatch inventory import|list`, registered by main.ts (kept apart from inventory.ts so main.ts can
 * register them without loading the store: the commands' module is imported when one runs). */
export function addInventoryCommands(program: Command, finish: (code: number) => void): void {
  const inventory = program.command('inventory').description('import and list the inventory kept in the store (YAML, CSV, CycloneDX JSON)');
  inventory
    .command('import')
    .description('replace one collection in the store with the items of FILE; prints added/changed/removed; row errors on stderr')
    .argument('<file>', 'inventory file: .yaml/.yml, .csv or CycloneDX .json')
    .option('-c, --config <file>', 'config file (default $SECWATCH_CONFIG or config/secwatch.yaml)')
    .option('--collection <name>', 'collection to replace (default: the YAML "collection:", else the file name)')
    .addOption(new Option('-f, --format <format>', 'file format (default: from the extension, else the content)').choices([...INVENTORY_FORMATS]))
    .option('--strict', 'import nothing if any row has an error')
    .option('--json', 'print the summary as one JSON line')
    .action(async (file: string, opts: InventoryImportOptions) => finish(await (await import('./inventory.js')).inventoryImportCommand(file, opts)));
  inventory
    .command('list')
    .description('the inventory matching uses (config files + stored collections) as JSON lines')
    .option('-c, --config <file>', 'config file (default $SECWATCH_CONFIG or config/secwatch.yaml)')
    .option('--collection <name>', 'only this collection')
    .option('--stored', 'only the collections in the store')
    .action(async (opts: InventoryListOptions) => finish(await (await import('./inventory.js')).inventoryListCommand(opts)));
}
