import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InventoryItem } from '../../src/model/inventory.js';
import { buildAliasTable, buildInventoryIndex } from '../../src/match/index.js';
import { currentInventory } from '../../src/pipeline/current-inventory.js';
import { openStore, type Store } from '../../src/store/index.js';

const item = (collection: string, name: string, o: Partial<InventoryItem> = {}): InventoryItem => ({ name, collection, instances: 1, ...o });

describe('currentInventory: the index a match stage uses', () => {
  let store: Store;
  beforeEach(async () => {
    store = await openStore('sqlite::memory:');
  });
  afterEach(async () => store.close());

  const files = [item('demo', 'exchange', { vendor: 'Microsoft', product: 'Exchange Server 2019' }), item('ci', 'git', { vendor: 'Git', product: 'Git' })];
  const inventory = buildInventoryIndex(files, buildAliasTable({ microsoft: ['msft'] }));

  it('is the config index itself while nothing is stored', async () => {
    expect(await currentInventory({ store, inventory })).toBe(inventory);
  });

  it('sees an import made after start, with stored collections replacing file ones, aliases kept', async () => {
    await store.replaceInventoryCollection('demo', [item('demo', 'imported exchange', { vendor: 'MSFT', product: 'Exchange Server 2019' })], new Date('2024-07-01T00:00:00Z'));
    const index = await currentInventory({ store, inventory });
    expect(index.items.map((i) => `${i.collection}/${i.name}`)).toEqual(['ci/git', 'demo/imported exchange']);
    expect(index.aliases).toBe(inventory.aliases);
    expect(index.byProductPrefix('exchange server 2019').map((e) => e.item.name)).toEqual(['imported exchange']);
  });

  it('keeps the config keyword rules, applied to the stored collections too', async () => {
    const withRules = buildInventoryIndex(files, buildAliasTable({}), { keywords: [{ pattern: 'exchange', collection: 'demo' }, { pattern: '\\bgit\\b', item: 'git' }] });
    await store.replaceInventoryCollection('demo', [item('demo', 'mail gateway', { product: 'Exchange Server 2019' })], new Date('2024-07-01T00:00:00Z'));
    const index = await currentInventory({ store, inventory: withRules });
    expect(index.keywords.map((k) => [k.rule.pattern, k.items.map((i) => `${i.collection}/${i.name}`)])).toEqual([
      ['exchange', ['demo/mail gateway']],
      ['\\bgit\\b', ['ci/git']],
    ]);
  });
});
