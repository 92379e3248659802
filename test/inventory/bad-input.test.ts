import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ParseError } from '../../src/errors.js';
import { formatRowError } from '../../src/inventory/collect.js';
import { parseInventory } from '../../src/inventory/read.js';

const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/inventory/${name}`, import.meta.url));

/** 1-based line of the first line of `text` that contains (or, for a RegExp, matches) `needle`. */
const lineOf = (text: string, needle: string | RegExp): number =>
  text.split('\n').findIndex((l) => (typeof needle === 'string' ? l.includes(needle) : needle.test(l))) + 1;

describe('inventory import: bad rows are errors naming file and line, the rest imported', () => {
  const header = 'name,vendor,product,version,instances,location,exposed,testsFirst';
  const rows = [
    'web-1,Example,Example Server,2.4.1,3,dc-a,yes,no',
    'web-2,Example,Example Server,latest,3,dc-a,yes,no', // not a version
    'web-3,Example,Example Server,2.4.1,three,dc-a,yes,no', // not a number
    'web-4,Example,Example Server,2.4.1,3,dc-a', // two columns missing
    'web-5,Example,Example Server,2.4.1,3,dc-a,maybe,no', // not a boolean
    'web-6,Example,Example Server,2.4 beta,1.5,dc-b,no,no', // two problems, one error
    '"web-7","Example","Example Server, ""classic""","7.0",1,"dc-a,',
    'upstairs",no,no', // a quoted field spanning two lines is fine
    'web-1,Example,Example Server,2.4.2,1,dc-a,no,no', // name already used
    ',Example,Example Server,2.4.1,1,dc-a,no,no', // no name
    'web-8,Example,Example Server,2.4.1,,,,', // empty cells are absent fields
  ];
  const text = `${[header, ...rows].join('\n')}\n`;
  const read = parseInventory(text, 'servers.csv');

  it('imports the good rows', () => {
    expect(read.collection).toBe('servers');
    expect(read.items.map((i) => i.name)).toEqual(['web-1', 'web-7', 'web-8']);
    expect(read.items.find((i) => i.name === 'web-7')).toMatchObject({ product: 'Example Server, "classic"', location: 'dc-a,\nupstairs', exposed: false });
    expect(read.items.find((i) => i.name === 'web-8')).toEqual({ name: 'web-8', vendor: 'Example', product: 'Example Server', version: '2.4.1', instances: 1, collection: 'servers' });
  });

  it('gives one error per bad row, naming the file, the line and the cause', () => {
    const errors = read.errors.map(formatRowError);
    expect(errors).toEqual([
      expect.stringMatching(new RegExp(`^servers\\.csv: line ${lineOf(text, 'web-2')}: version: "latest" is not a version`)),
      `servers.csv: line ${lineOf(text, 'web-3')}: instances: "three" is not a whole number`,
      `servers.csv: line ${lineOf(text, 'web-4')}: 6 field(s), the header has 8 (no value for exposed, testsFirst)`,
      `servers.csv: line ${lineOf(text, 'web-5')}: exposed: "maybe" is not a boolean (true/false, yes/no, 1/0)`,
      `servers.csv: line ${lineOf(text, 'web-6')}: instances: "1.5" is not a whole number`,
      `servers.csv: line ${lineOf(text, 'web-1,Example,Example Server,2.4.2')}: name "web-1" is already used at line ${lineOf(text, 'web-1')} (names are unique within a collection)`,
      `servers.csv: line ${lineOf(text, /^,Example/)}: name: required (unique within the collection)`,
    ]);
    expect(read.items.length + read.errors.length).toBe(rows.length - 1); // web-7 spans two lines
  });

  it('reports a malformed record by its lines and goes on', () => {
    const bad = 'name,version\nok-1,1.0\n"broken"x,2.0\nok-2,3.0\n';
    const r = parseInventory(bad, 'q.csv');
    // A stray quote can swallow what follows (csv-parse cannot know where the field was meant to end).
    expect(r.errors.map(formatRowError)[0]).toMatch(/^q\.csv: line 3: Invalid Closing Quote/);
    expect(r.items.map((i) => i.name)).toContain('ok-1');
  });

  it('reads a CSV with a byte-order mark and CRLF line ends', () => {
    const r = parseInventory('\uFEFFName,Version\r\na,1.0\r\nb,"2.0"\r\n', 'w.csv');
    expect(r.errors).toEqual([]);
    expect(r.items).toEqual([
      { name: 'a', version: '1.0', instances: 1, collection: 'w' },
      { name: 'b', version: '2.0', instances: 1, collection: 'w' },
    ]);
  });

  it('fails the whole file for a header it cannot use', () => {
    expect(() => parseInventory('name,versoin\na,1\n', 'h.csv')).toThrow(/h\.csv: line 1: unknown column "versoin"/);
    expect(() => parseInventory('vendor,version\na,1\n', 'h.csv')).toThrow(/h\.csv: line 1: the header has no "name" column/);
    expect(() => parseInventory('name,Name\na,b\n', 'h.csv')).toThrow(/column "name" appears twice/);
    expect(() => parseInventory('\n\n', 'h.csv', { format: 'csv' })).toThrow(ParseError);
  });

  it('refuses a row that names another collection than the import replaces', () => {
    const r = parseInventory('name,collection\na,servers\nb,\nc,ci\n', 'servers.csv');
    expect(r.items.map((i) => i.name)).toEqual(['a', 'b']);
    expect(r.errors.map(formatRowError)).toEqual([expect.stringMatching(/^servers\.csv: line 4: collection "ci" is not the collection this import replaces \("servers"\)/)]);
    const all = parseInventory('name,collection\nc,ci\n', 'servers.csv', { collection: 'ci' });
    expect(all.errors).toEqual([]);
  });
});

describe('CycloneDX import: broken purls are errors naming the component and bom-ref', () => {
  const good = readFileSync(fixture('fleet.cdx.json'), 'utf8');
  interface Component { name: string; purl?: string; cpe?: string; version?: string; 'bom-ref'?: string; components?: Component[] }
  const bom = JSON.parse(good) as { components: Component[] };
  const total = parseInventory(good, 'fleet.cdx.json').items.length;
  // Break three components at known places: two purls (one nested), one CPE; and one version.
  bom.components[1]!.purl = 'pkg:golang';
  bom.components[3]!.components![0]!.purl = 'not a purl';
  bom.components[2]!.cpe = 'cpe:2.3:a';
  bom.components[6]!.version = '3.0 final';
  delete bom.components[6]!.purl;
  const read = parseInventory(JSON.stringify(bom), 'fleet.cdx.json');

  it('names each bad component by path and bom-ref, and imports the rest', () => {
    const ref = (c: Component) => c['bom-ref']!;
    expect(read.errors.map(formatRowError)).toEqual([
      `fleet.cdx.json: components[1] (bom-ref "${ref(bom.components[1]!)}"): purl: purl "pkg:golang": Invalid purl: "name" is a required component`,
      expect.stringMatching(/^fleet\.cdx\.json: components\[2\] \(bom-ref "rhel"\): cpe: cpe "cpe:2\.3:a" is not a CPE 2\.3 name/),
      expect.stringMatching(new RegExp(`^fleet\\.cdx\\.json: components\\[3\\]\\.components\\[0\\] \\(bom-ref "${ref(bom.components[3]!.components![0]!).replace(/[.]/g, '\\.')}"\\): purl: .*must start with "pkg:"`)),
      expect.stringMatching(/^fleet\.cdx\.json: components\[6\] \(bom-ref "openssl"\): version: "3\.0 final" is not a version/),
    ]);
    expect(read.items).toHaveLength(total - 4);
  });

  it('checks that a purl and a version agree', () => {
    const one = { bomFormat: 'CycloneDX', specVersion: '1.5', components: [{ name: 'x', version: '1.0', purl: 'pkg:npm/x@2.0' }] };
    const r = parseInventory(JSON.stringify(one), 'one.json');
    expect(r.errors.map(formatRowError)).toEqual(['one.json: components[0]: version: version "1.0" disagrees with the purl\'s version "2.0"']);
  });

  it('fails the whole file when it is not a CycloneDX JSON BOM', () => {
    expect(() => parseInventory('{"bomFormat": "SPDX"}', 'x.json')).toThrow(/x\.json: not a CycloneDX BOM/);
    expect(() => parseInventory('{not json', 'x.json')).toThrow(/x\.json: not JSON/);
    expect(() => parseInventory('{"bomFormat":"CycloneDX","specVersion":"2.0"}', 'x.json')).toThrow(/specVersion "2\.0"/);
    expect(() => parseInventory('{"bomFormat":"CycloneDX","specVersion":"1.4","components":{}}', 'x.json')).toThrow(/"components" is not a list/);
  });
});

describe('YAML import: a bad entry is an error naming its line', () => {
  const text = [
    'collection: servers',
    'items:',
    '  - name: good',
    '    version: 1.2.3',
    '  - name: bad-number',
    '    instances: many',
    '  - name: typo',
    '    vendr: Example',
    '  - name: bad-purl',
    '    purl: pkg:npm',
    '  - name: good-2',
    '',
  ].join('\n');
  const read = parseInventory(text, 'servers.yaml');

  it('imports the good entries and names each bad one by line and index', () => {
    expect(read.items.map((i) => i.name)).toEqual(['good', 'good-2']);
    expect(read.errors.map((e) => e.where)).toEqual([
      `line ${lineOf(text, 'bad-number')} (items[1])`,
      `line ${lineOf(text, 'typo')} (items[2])`,
      `line ${lineOf(text, 'bad-purl')} (items[3])`,
    ]);
    expect(read.errors[0]!.message).toMatch(/^instances: /);
    expect(read.errors[1]!.message).toMatch(/vendr/);
    expect(read.errors[2]!.message).toMatch(/^purl: purl "pkg:npm": Invalid purl/);
  });

  it('keeps a version as written: YAML reads 1.10 as the number 1.1', () => {
    const r = parseInventory('items:\n  - name: a\n    version: 1.10\n  - name: b\n    version: 8.6 # rack 2\n', 'v.yaml');
    expect(r.items.map((i) => i.version)).toEqual(['1.10', '8.6']);
  });

  it('fails the whole file when it is not an inventory', () => {
    expect(() => parseInventory('items: [\n', 'x.yaml')).toThrow(/x\.yaml: not YAML/);
    expect(() => parseInventory('- a\n- b\n', 'x.yaml')).toThrow(/expected a mapping/);
    expect(() => parseInventory('itemz: []\n', 'x.yaml')).toThrow(/unknown top-level key "itemz"/);
    expect(() => parseInventory('items: {}\n', 'x.yaml')).toThrow(/items: expected a list/);
  });
});
