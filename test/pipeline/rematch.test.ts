import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildAliasTable, buildInventoryIndex } from '../../src/match/index.js';
import type { InventoryItem } from '../../src/model/inventory.js';
import type { ApplyByPolicy } from '../../src/normalize/apply-by.js';
import { rematchStoredAdvisories } from '../../src/pipeline/rematch.js';
import { openStore, type Store } from '../../src/store/index.js';
import { makeAdvisory } from '../helpers/advisory-factory.js';
import { pgSchemas } from '../helpers/postgres.js';

// An advisory stored before an import gains the imported items' matches, loses them when the items
// go, and a second rematch changes nothing — on both stores.

const pg = pgSchemas('rematch');
afterAll(async () => pg.dropAll());

// KEV only, so the apply-by shows the KEV due date (msrc-classic would give an earlier one for "critical").
const policy: ApplyByPolicy = { rules: ['kev'], clockStart: 'release' };
const at = new Date('2026-11-01T00:00:00Z');
const item = (name: string, o: Partial<InventoryItem> = {}): InventoryItem => ({ name, collection: 'fleet', instances: 1, ...o });

const kevAdvisory = makeAdvisory({
  id: 'kev:CVE-2024-0001',
  source: { kind: 'kev', id: 'cisa-kev' },
  exploited: { exploited: true, kev: { dateAdded: '2024-07-02', dueDate: '2024-07-23', ransomware: false } },
});
const unrelated = makeAdvisory({ id: 'TEST-2024-0002', cves: ['CVE-2024-0002'], products: [{ vendor: 'Other', product: 'Other Thing', ranges: [], fixed: [] }] });

describe.each([
  ['sqlite', () => 'sqlite::memory:'],
  ['postgres', () => pg.url()],
])('rematchStoredAdvisories (%s)', (_name, storeUrl) => {
  let store: Store;
  // The config's own inventory: one item the KEV advisory does not concern.
  const inventory = buildInventoryIndex([item('mail', { collection: 'config', vendor: 'Microsoft', product: 'Exchange Server 2019' })], buildAliasTable({}));
  const deps = () => ({ store, inventory, policy });

  beforeEach(async () => {
    store = await openStore(storeUrl());
    await store.upsertAdvisories([kevAdvisory, unrelated], at);
  });
  afterEach(async () => store.close());

  it('adds the imported item to a stored KEV advisory, removes it with the item, and a rerun changes nothing', async () => {
    expect(await store.listMatches()).toEqual([]);

    await store.replaceInventoryCollection('fleet', [item('web tier', { vendor: 'Example', product: 'Example Server', version: '2.3.0' }), item('spare', { vendor: 'Nobody', product: 'Nothing' })], at);
    expect(await rematchStoredAdvisories(deps())).toEqual({ advisories: 2, replaced: 1, added: 1, removed: 0, changed: 0 });
    const matches = await store.listMatches([kevAdvisory.id]);
    expect(matches.map((m) => [m.item.collection, m.item.name, m.applyBy])).toEqual([['fleet', 'web tier', '2024-07-23']]);
    expect(matches[0]?.applyByRule).toMatch(/^kev dueDate/);
    expect(await store.listMatches([unrelated.id])).toEqual([]);

    expect(await rematchStoredAdvisories(deps())).toEqual({ advisories: 2, replaced: 0, added: 0, removed: 0, changed: 0 });

    // The item's version moves past the fix: the match goes.
    await store.replaceInventoryCollection('fleet', [item('web tier', { vendor: 'Example', product: 'Example Server', version: '2.4.1' })], at);
    expect(await rematchStoredAdvisories(deps())).toEqual({ advisories: 2, replaced: 1, added: 0, removed: 1, changed: 0 });
    expect(await store.listMatches()).toEqual([]);
  });

  it('drops the matches of items removed from the collection', async () => {
    await store.replaceInventoryCollection('fleet', [item('web tier', { vendor: 'Example', product: 'Example Server' })], at);
    expect((await rematchStoredAdvisories(deps())).added).toBe(1);
    await store.replaceInventoryCollection('fleet', [item('spare', { vendor: 'Nobody', product: 'Nothing' })], at);
    expect(await rematchStoredAdvisories(deps())).toEqual({ advisories: 2, replaced: 1, added: 0, removed: 1, changed: 0 });
    expect(await store.listMatches()).toEqual([]);
  });
});
