import { describe, expect, it } from 'vitest';
import { effectiveInventory } from '../../src/inventory/effective.js';
import type { InventoryItem } from '../../src/model/inventory.js';

const item = (collection: string, name: string): InventoryItem => ({ name, collection, instances: 1 });

describe('effectiveInventory: config files plus stored collections', () => {
  const files = [item('demo', 'a'), item('demo', 'b'), item('ci', 'c')];

  it('is the config files when nothing is stored', () => {
    expect(effectiveInventory(files, [], [])).toEqual(files);
  });

  it('lets a stored collection replace the file collection of the same name, and adds the others', () => {
    const stored = [item('demo', 'x'), item('fleet', 'y')];
    expect(effectiveInventory(files, ['demo', 'fleet'], stored)).toEqual([item('ci', 'c'), item('demo', 'x'), item('fleet', 'y')]);
  });

  it('lets an empty stored collection hide the file collection', () => {
    expect(effectiveInventory(files, ['ci'], [])).toEqual([item('demo', 'a'), item('demo', 'b')]);
  });
});
