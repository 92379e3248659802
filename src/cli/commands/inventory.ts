import type { InventoryFormat } from '../../inventory/collect.js';
import { formatRowError } from '../../inventory/collect.js';
import { effectiveInventory } from '../../inventory/effective.js';
import { loadInventory } from '../../inventory/load.js';
import { readInventory } from '../../inventory/read.js';
import { buildAliasTable, buildInventoryIndex } from '../../match/index.js';
import { describeRematch, rematchStoredAdvisories, type RematchCounts } from '../../pipeline/rematch.js';
import { openStore } from '../../store/index.js';
import { systemClock, type Clock } from '../../util/clock.js';
import { loadCliConfig } from '../config-option.js';
import { CliFailure } from '../failure.js';

export interface InventoryImportOptions {
  readonly config?: string;
  readonly collection?: string;
  readonly format?: InventoryFormat;
  /** Any row error: import nothing. */
  readonly strict?: boolean;
  readonly json?: boolean;
}

export interface InventoryListOptions {
  readonly config?: string;
  readonly collection?: string;
  /** Only the store's collections, not the config's inventory files. */
  readonly stored?: boolean;
}

/** Streams the command writes to; injected so tests can call the command function directly. */
export interface Output {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

const processOutput: Output = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };

/**
 * `secwatch inventory import FILE`: read YAML, CSV or CycloneDX JSON, replace the collection in the
 * store in one transaction, print the counts. Row errors go to stderr, one per line; the exit code
 * is 1 only when nothing was imported (every row bad, or --strict with any bad row), and then the
 * stored collection is left as it was. An unreadable file or a wrong header exits 2 (main.ts).
 */
export async function inventoryImportCommand(file: string, options: InventoryImportOptions, io: Output = processOutput, clock: Clock = systemClock): Promise<number> {
  const config = loadCliConfig(options.config);
  const read = await readInventory(file, { ...(options.collection ? { collection: options.collection } : {}), ...(options.format ? { format: options.format } : {}) });
  for (const e of read.errors) io.err(`secwatch: ${formatRowError(e)}\n`);
  if (read.errors.length > 0 && (read.items.length === 0 || options.strict)) {
    throw new CliFailure(1, `${file}: nothing imported (${read.errors.length} row error(s)${options.strict ? ', --strict' : ''}); collection "${read.collection}" left as it was`);
  }
  const store = await openStore(config.storeUrl);
  try {
    const counts = await store.replaceInventoryCollection(read.collection, read.items, clock.now());
    // Stored advisories gain or lose the collection's items now, not only when they are next revised.
    let rematch: RematchCounts | undefined;
    if (counts.added + counts.changed + counts.removed > 0) {
      const index = buildInventoryIndex(await loadInventory(config.paths.inventoryFiles), buildAliasTable(config.inventory.aliases), { keywords: config.matching.keywords });
      rematch = await rematchStoredAdvisories({ store, inventory: index, policy: { rules: config.policy.applyBy, clockStart: config.policy.clockStart } });
    }
    const summary = { file, format: read.format, collection: read.collection, items: read.items.length, ...counts, errors: read.errors.length, ...(rematch ? { rematch } : {}) };
    io.out(
      options.json
        ? `${JSON.stringify(summary)}\n`
        : `secwatch: ${file} (${read.format}) → collection "${read.collection}": ${read.items.length} item(s); ` +
            `added ${counts.added}, changed ${counts.changed}, removed ${counts.removed}, unchanged ${counts.unchanged}` +
            `${read.errors.length > 0 ? `; ${read.errors.length} row(s) skipped (see above)` : ''}\n` +
            `${rematch ? `secwatch: ${describeRematch(rematch)}\n` : ''}`,
    );
    return 0;
  } finally {
    await store.close();
  }
}

/**
 * `secwatch inventory list`: what matching uses — the config's inventory files merged with the
 * store's collections (src/inventory/effective.ts) — as JSON lines by collection, then name.
 */
export async function inventoryListCommand(options: InventoryListOptions, io: Output = processOutput): Promise<number> {
  const config = loadCliConfig(options.config);
  const store = await openStore(config.storeUrl);
  try {
    const stored = await store.listInventory();
    const collections = (await store.listInventoryCollections()).map((c) => c.collection);
    const files = options.stored ? [] : await loadInventory(config.paths.inventoryFiles);
    const items = effectiveInventory(files, collections, stored)
      .filter((i) => options.collection === undefined || i.collection === options.collection)
      .sort((a, b) => compare(a.collection, b.collection) || compare(a.name, b.name));
    io.out(items.map((i) => `${JSON.stringify(i)}\n`).join(''));
    return 0;
  } finally {
    await store.close();
  }
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
