// Store conformance for the inventory (migration 3): run by sqlite.test.ts and postgres.test.ts alike.
import { isDeepStrictEqual } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InventoryItem } from '../../src/model/inventory.js';
import type { Store } from '../../src/store/index.js';

const at = (minute: number): Date => new Date(Date.UTC(2024, 6, 1, 12, minute));

function item(collection: string, i: number, o: Partial<InventoryItem> = {}): InventoryItem {
  return {
    name: `host-${String(i).padStart(3, '0')}`,
    vendor: 'Example',
    product: 'Example Server',
    version: `2.${i}.0`,
    instances: 1 + (i % 4),
    location: `rack ${i % 3}`,
    collection,
    ...(i % 2 === 0 ? { exposed: i % 4 === 0 } : {}),
    ...(i % 5 === 0 ? { purl: `pkg:npm/example-${i}@2.${i}.0` } : {}),
    ...o,
  };
}

/** added/changed/removed/unchanged from the two lists alone, by deep equality: not the store's own diff. */
function expectedCounts(before: readonly InventoryItem[], after: readonly InventoryItem[]) {
  const old = new Map(before.map((x) => [x.name, x]));
  const now = new Map(after.map((x) => [x.name, x]));
  let added = 0;
  let changed = 0;
  let unchanged = 0;
  for (const [name, x] of now) {
    const prior = old.get(name);
    if (prior === undefined) added++;
    else if (isDeepStrictEqual(prior, x)) unchanged++;
    else changed++;
  }
  const removed = [...old.keys()].filter((name) => !now.has(name)).length;
  return { added, changed, removed, unchanged };
}

function withoutLocation(x: InventoryItem): InventoryItem {
  const copy: { -readonly [K in keyof InventoryItem]?: InventoryItem[K] } = { ...x };
  delete copy.location;
  return copy as InventoryItem;
}

const byName = (xs: readonly InventoryItem[]) => [...xs].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

export function describeInventoryContract(name: string, open: () => Promise<Store>): void {
  describe(`Store contract (inventory): ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => store.close());

    it('starts empty', async () => {
      expect(await store.listInventory()).toEqual([]);
      expect(await store.listInventoryCollections()).toEqual([]);
    });

    it('imports a collection and gives its items back exactly, by name', async () => {
      const items = [12, 3, 7, 0, 5].map((i) => item('servers', i));
      expect(await store.replaceInventoryCollection('servers', items, at(1))).toEqual({ added: 5, changed: 0, removed: 0, unchanged: 0 });
      expect(await store.listInventory({ collection: 'servers' })).toEqual(byName(items));
      expect(await store.listInventoryCollections()).toEqual([{ collection: 'servers', items: 5, replacedAt: at(1).toISOString() }]);
    });

    it('replaces a collection: counts computed from the two lists, other collections untouched', async () => {
      const before = Array.from({ length: 40 }, (_, i) => item('servers', i));
      const other = [item('workstations', 1), item('workstations', 2)];
      await store.replaceInventoryCollection('servers', before, at(1));
      await store.replaceInventoryCollection('workstations', other, at(1));
      // Drop every 5th, bump the version of every 3rd, flip `exposed` of every 7th, drop a field, add 6.
      const after = before
        .filter((_, i) => i % 5 !== 4)
        .map((x, i) => (i % 3 === 0 ? { ...x, version: `${x.version}-1` } : x))
        .map((x, i) => (i % 7 === 0 ? { ...x, exposed: !x.exposed } : x))
        .map((x) => (x.name === 'host-001' ? withoutLocation(x) : x))
        .concat(Array.from({ length: 6 }, (_, k) => item('servers', 100 + k)));
      const want = expectedCounts(before, after);
      expect(want.added).toBe(6); // the fixture does what it says
      expect(want.removed).toBe(8);
      expect(want.changed).toBeGreaterThan(10);
      expect(await store.replaceInventoryCollection('servers', after, at(2))).toEqual(want);
      expect(await store.listInventory({ collection: 'servers' })).toEqual(byName(after));
      expect(await store.listInventory({ collection: 'workstations' })).toEqual(byName(other));
      expect(await store.listInventory()).toEqual([...byName(after), ...byName(other)]);
    });

    it('is idempotent: the same replace twice changes nothing the second time', async () => {
      const items = [1, 2, 3].map((i) => item('ci', i));
      await store.replaceInventoryCollection('ci', items, at(1));
      expect(await store.replaceInventoryCollection('ci', [...items].reverse(), at(2))).toEqual({ added: 0, changed: 0, removed: 0, unchanged: 3 });
    });

    it('refuses an item of another collection or a name given twice, and then changes nothing', async () => {
      const items = [1, 2].map((i) => item('ci', i));
      await store.replaceInventoryCollection('ci', items, at(1));
      await expect(store.replaceInventoryCollection('ci', [item('ci', 3), item('servers', 4)], at(2))).rejects.toThrow(/collection "servers", not "ci"/);
      await expect(store.replaceInventoryCollection('ci', [item('ci', 3), item('ci', 3, { version: '9.0' })], at(2))).rejects.toThrow(/given twice/);
      expect(await store.listInventory()).toEqual(items);
      expect((await store.listInventoryCollections())[0]?.replacedAt).toBe(at(1).toISOString());
    });

    it('keeps an emptied collection (it still shadows a config file) until it is deleted', async () => {
      await store.replaceInventoryCollection('ci', [item('ci', 1)], at(1));
      expect(await store.replaceInventoryCollection('ci', [], at(2))).toEqual({ added: 0, changed: 0, removed: 1, unchanged: 0 });
      expect(await store.listInventoryCollections()).toEqual([{ collection: 'ci', items: 0, replacedAt: at(2).toISOString() }]);
      await store.replaceInventoryCollection('other', [item('other', 1)], at(3));
      expect(await store.deleteInventoryCollection('other')).toBe(true);
      expect(await store.deleteInventoryCollection('other')).toBe(false);
      expect(await store.listInventory()).toEqual([]);
      expect((await store.listInventoryCollections()).map((c) => c.collection)).toEqual(['ci']);
    });

    it('runs concurrent replaces of one collection one after the other: each count is against the other\'s result', async () => {
      const a = Array.from({ length: 30 }, (_, i) => item('race', i));
      const b = Array.from({ length: 30 }, (_, i) => item('race', i + 10, i % 2 === 0 ? { version: '9.9.9' } : {}));
      const [ra, rb] = await Promise.all([store.replaceInventoryCollection('race', a, at(1)), store.replaceInventoryCollection('race', b, at(1))]);
      const final = await store.listInventory({ collection: 'race' });
      // Whichever ran second saw the first one's items, whole: never a mix of the two.
      const aFirst = isDeepStrictEqual(final, byName(b));
      expect(aFirst || isDeepStrictEqual(final, byName(a))).toBe(true);
      if (aFirst) {
        expect(ra).toEqual(expectedCounts([], a));
        expect(rb).toEqual(expectedCounts(a, b));
      } else {
        expect(rb).toEqual(expectedCounts([], b));
        expect(ra).toEqual(expectedCounts(b, a));
      }
    });
  });
}
