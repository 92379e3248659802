import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { defaultCollection, detectFormat, readInventory } from '../../src/inventory/read.js';
import type { InventoryItem } from '../../src/model/inventory.js';

const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/inventory/${name}`, import.meta.url));
const byName = (xs: readonly InventoryItem[]) => [...xs].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

/** The YAML fixture read with the yaml library alone, defaults applied by hand: the expectation. */
function expectedFromYaml(): InventoryItem[] {
  const doc = parseYaml(readFileSync(fixture('fleet.yaml'), 'utf8')) as { collection: string; items: (Record<string, unknown> & { version?: string | number })[] };
  return doc.items.map((raw) => ({ instances: 1, ...raw, version: raw.version === undefined ? undefined : String(raw.version), collection: doc.collection }) as InventoryItem)
    .map((item) => Object.fromEntries(Object.entries(item).filter(([, v]) => v !== undefined)) as unknown as InventoryItem);
}

describe('inventory formats: YAML, CSV and CycloneDX say the same thing', () => {
  it('reads the YAML fixture as the yaml library does, with instances defaulting to 1', async () => {
    const read = await readInventory(fixture('fleet.yaml'));
    expect(read).toMatchObject({ format: 'yaml', collection: 'fleet', errors: [] });
    expect(byName(read.items)).toEqual(byName(expectedFromYaml()));
  });

  it('imports the CSV and the CycloneDX SBOM to the same items as the YAML', async () => {
    const yaml = await readInventory(fixture('fleet.yaml'));
    const csv = await readInventory(fixture('fleet.csv'));
    const cdx = await readInventory(fixture('fleet.cdx.json'), { collection: 'fleet' });
    expect(csv).toMatchObject({ format: 'csv', collection: 'fleet', errors: [] });
    expect(cdx).toMatchObject({ format: 'cyclonedx', collection: 'fleet', errors: [] });
    expect(yaml.items.length).toBeGreaterThan(5);
    expect(byName(csv.items)).toEqual(byName(yaml.items));
    expect(byName(cdx.items)).toEqual(byName(yaml.items));
  });

  it('takes every CycloneDX component, nested ones too, but not the BOM subject; a repeated identical component once', async () => {
    const bom = JSON.parse(readFileSync(fixture('fleet.cdx.json'), 'utf8')) as { metadata: { component: { name: string } }; components: Component[] };
    interface Component { name: string; components?: Component[] }
    const all = (list: Component[]): Component[] => list.flatMap((c) => [c, ...all(c.components ?? [])]);
    const read = await readInventory(fixture('fleet.cdx.json'), { collection: 'fleet' });
    const nested = all(bom.components).filter((c) => !bom.components.includes(c));
    expect(nested.length).toBeGreaterThan(0);
    for (const c of nested) expect(read.items.some((i) => i.product === c.name)).toBe(true);
    expect(read.items.some((i) => i.product === bom.metadata.component.name)).toBe(false);
    const lodashes = all(bom.components).filter((c) => c.name === 'lodash');
    expect(lodashes.length).toBe(2);
    expect(read.items.filter((i) => i.product === 'lodash')).toHaveLength(1);
  });

  it('puts every item in the --collection given, or the file name when the file names none', async () => {
    const cdx = await readInventory(fixture('fleet.cdx.json'), { collection: 'fleet' });
    expect(new Set(cdx.items.map((i) => i.collection))).toEqual(new Set(['fleet']));
    const csv = await readInventory(fixture('fleet.csv'), { collection: 'fleet' });
    expect(csv.collection).toBe('fleet');
    expect(defaultCollection('/x/servers.csv')).toBe('servers');
    expect(defaultCollection('app.cdx.json')).toBe('app');
    expect(defaultCollection('hosts.yml')).toBe('hosts');
  });

  it('detects the format from the extension, else from the content', () => {
    expect(detectFormat('a.yaml', '')).toBe('yaml');
    expect(detectFormat('a.YML', '')).toBe('yaml');
    expect(detectFormat('a.csv', '')).toBe('csv');
    expect(detectFormat('a.cdx.json', '')).toBe('cyclonedx');
    expect(detectFormat('-', '\uFEFF  {"bomFormat": "CycloneDX"}')).toBe('cyclonedx');
    expect(detectFormat('inventory', 'name,version\nweb,1.0\n')).toBe('csv');
    expect(detectFormat('inventory', '"Name","Vendor"\n')).toBe('csv');
    expect(detectFormat('inventory', 'items:\n  - name: a, b\n')).toBe('yaml');
  });
});
