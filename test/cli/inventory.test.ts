import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { inventoryImportCommand, inventoryListCommand, type InventoryImportOptions, type InventoryListOptions, type Output } from '../../src/cli/commands/inventory.js';
import { CliFailure } from '../../src/cli/failure.js';
import type { InventoryItem } from '../../src/model/inventory.js';
import type { Match } from '../../src/model/match.js';
import { openStore } from '../../src/store/index.js';
import { pgSchemas } from '../helpers/postgres.js';

// `secwatch inventory import|list` through the real binary (bin/secwatch.js → dist/, built by `npm test`)
// and through the command functions (a process start costs seconds on a busy machine), and
// `secwatch run --once` matching against what was imported.

const root = fileURLToPath(new URL('../../', import.meta.url));
const fixture = (name: string): string => join(root, 'test/fixtures/inventory', name);
const work = mkdtempSync(join(tmpdir(), 'secwatch-inventory-cli-'));
const schemas = pgSchemas('inventory_cli');
afterAll(async () => {
  rmSync(work, { recursive: true, force: true });
  await schemas.dropAll();
});

let dirs = 0;
/** A copy of config/ whose demo.yaml keeps its data (the SQLite store) in a fresh folder. */
function demoConfig(): { config: string; dataDir: string } {
  const dir = join(work, `run-${++dirs}`);
  cpSync(join(root, 'config'), join(dir, 'config'), { recursive: true });
  const config = join(dir, 'config', 'demo.yaml');
  const dataDir = join(dir, 'var');
  writeFileSync(config, readFileSync(config, 'utf8').replace('dataDir: ../var/demo', `dataDir: ${dataDir}`));
  return { config, dataDir };
}

function secwatch(args: string[], env: Record<string, string> = {}): { code: number | null; stdout: string; stderr: string } {
  const { SECWATCH_DATABASE_URL: _ignored, ...base } = process.env;
  const r = spawnSync(process.execPath, [join(root, 'bin/secwatch.js'), ...args], { env: { ...base, ...env }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

type Result = { code: number | null; stdout: string; stderr: string };

/** A command function in this process, its output captured and a CliFailure reported as main.ts does. */
async function inProcess(run: (io: Output) => Promise<number>): Promise<Result> {
  let stdout = '';
  let stderr = '';
  const io: Output = { out: (t) => void (stdout += t), err: (t) => void (stderr += t) };
  try {
    return { code: await run(io), stdout, stderr };
  } catch (err) {
    if (err instanceof CliFailure) return { code: err.exitCode, stdout, stderr: `${stderr}secwatch: ${err.message}\n` };
    throw err;
  }
}
const importFile = (file: string, options: InventoryImportOptions) => inProcess((io) => inventoryImportCommand(file, options, io));
const list = (options: InventoryListOptions) => inProcess((io) => inventoryListCommand(options, io));

const jsonLines = <T>(text: string): T[] => text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as T);
const byName = (xs: readonly InventoryItem[]) => [...xs].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

/** The YAML fixture through the yaml library alone (instances default 1): what the CSV must import to. */
function fleetFromYaml(): InventoryItem[] {
  const doc = parseYaml(readFileSync(fixture('fleet.yaml'), 'utf8')) as { collection: string; items: (Record<string, unknown> & { version?: string | number })[] };
  return doc.items.map((raw) => ({ instances: 1, ...raw, ...(raw.version === undefined ? {} : { version: String(raw.version) }), collection: doc.collection }) as InventoryItem);
}

describe('secwatch inventory import / list', () => {
  const csv = readFileSync(fixture('fleet.csv'), 'utf8');
  const dataRows = csv.split('\n').filter((l) => l.trim() !== '').slice(1);

  it('imports a CSV into the store, then replaces it and reports what changed', async () => {
    const { config } = demoConfig();
    const first = secwatch(['inventory', 'import', fixture('fleet.csv'), '--config', config, '--json']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toEqual({
      file: fixture('fleet.csv'), format: 'csv', collection: 'fleet', items: dataRows.length,
      added: dataRows.length, changed: 0, removed: 0, unchanged: 0, errors: 0,
      rematch: { advisories: 0, replaced: 0, added: 0, removed: 0, changed: 0 },
    });
    const listed = jsonLines<InventoryItem>((await list({ stored: true, config })).stdout);
    expect(listed).toEqual(byName(fleetFromYaml()));

    // Second version of the file: one row dropped, one version bumped, one row added, one bad row.
    const [header] = csv.split('\n');
    const dropped = dataRows[2]!;
    const bumped = dataRows[0]!.replace(',CU14,', ',CU15,');
    const edited = [header, bumped, ...dataRows.slice(1).filter((r) => r !== dropped), 'new host,Example,Example Server,1.0.0,,,2,dc-c,,,no,', 'broken host,,,,,,two,,,,,'];
    const file = join(work, 'fleet.csv');
    writeFileSync(file, `${edited.join('\n')}\n`);
    const second = await importFile(file, { config });
    expect(second.code).toBe(0);
    expect(second.stderr).toBe(`secwatch: ${file}: line ${edited.length}: instances: "two" is not a whole number\n`);
    const unchanged = dataRows.length - 2;
    expect(second.stdout).toContain(`added 1, changed 1, removed 1, unchanged ${unchanged}; 1 row(s) skipped`);
    const after = jsonLines<InventoryItem>((await list({ stored: true, collection: 'fleet', config })).stdout);
    expect(after.map((i) => i.name).sort()).toEqual(
      [...fleetFromYaml().map((i) => i.name).filter((n) => !dropped.startsWith(`${n},`)), 'new host'].sort(),
    );
    expect(after.find((i) => i.name === 'Exchange Server 2019 mail cluster')?.version).toBe('CU15');
  }, 60_000);

  it('exits 1 and leaves the collection as it was when nothing could be imported', async () => {
    const { config } = demoConfig();
    expect((await importFile(fixture('fleet.cdx.json'), { collection: 'fleet', config })).code).toBe(0);
    const before = (await list({ stored: true, config })).stdout;
    expect(jsonLines(before)).toHaveLength(fleetFromYaml().length);
    const file = join(work, 'all-bad.csv');
    writeFileSync(file, 'name,instances,collection\na,x,fleet\nb,1.5,fleet\n');
    const r = await importFile(file, { collection: 'fleet', config });
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n').filter(Boolean)).toEqual([
      `secwatch: ${file}: line 2: instances: "x" is not a whole number`,
      `secwatch: ${file}: line 3: instances: "1.5" is not a whole number`,
      `secwatch: ${file}: nothing imported (2 row error(s)); collection "fleet" left as it was`,
    ]);
    expect((await list({ stored: true, config })).stdout).toBe(before);
    // --strict: one bad row is enough to import nothing.
    writeFileSync(file, 'name,instances\ngood,1\nbad,x\n');
    expect((await importFile(file, { collection: 'fleet', strict: true, config })).code).toBe(1);
    expect((await list({ stored: true, config })).stdout).toBe(before);
  });

  it('exits 2 with one line naming the file when the file is not an inventory', () => {
    const { config } = demoConfig();
    const file = join(work, 'wrong.csv');
    writeFileSync(file, 'hostname,version\na,1\n');
    const r = secwatch(['inventory', 'import', file, '--config', config]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`secwatch: PARSE_INVALID: ${file}: line 1: unknown column "hostname" (columns: name, vendor, product, version, purl, cpe, instances, location, collection, owner, exposed, testsFirst)\n`);
  }, 60_000);

  it('imports into PostgreSQL the same way (SECWATCH_DATABASE_URL)', async () => {
    const { config } = demoConfig();
    const url = schemas.url();
    const env = { SECWATCH_DATABASE_URL: url };
    const r = secwatch(['inventory', 'import', fixture('fleet.yaml'), '--config', config, '--json'], env);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ collection: 'fleet', added: fleetFromYaml().length, changed: 0, removed: 0 });
    const again = secwatch(['inventory', 'import', fixture('fleet.cdx.json'), '--collection', 'fleet', '--config', config, '--json'], env);
    expect(JSON.parse(again.stdout)).toMatchObject({ added: 0, changed: 0, removed: 0, unchanged: fleetFromYaml().length });
    const store = await openStore(url);
    try {
      expect(await store.listInventory()).toEqual(byName(fleetFromYaml()));
    } finally {
      await store.close();
    }
  }, 60_000);

  it('lists what matching uses: config files, with a stored collection in place of the file one of the same name', async () => {
    const { config } = demoConfig();
    const files = parseYaml(readFileSync(join(root, 'config/demo-inventory.yaml'), 'utf8')) as { collection: string; items: { name: string; collection?: string }[] };
    const fileItems = files.items.map((i) => ({ name: i.name, collection: i.collection ?? files.collection }));
    const file = join(work, 'demo.csv');
    writeFileSync(file, 'name,vendor,product,version\nimported exchange,Microsoft,Exchange Server 2019,CU14\n');
    expect((await importFile(file, { config })).code).toBe(0);
    const listed = jsonLines<InventoryItem>((await list({ config })).stdout).map((i) => ({ name: i.name, collection: i.collection }));
    const want = [...fileItems.filter((i) => i.collection !== 'demo'), { name: 'imported exchange', collection: 'demo' }];
    expect(listed).toEqual(want.sort((a, b) => (a.collection + a.name < b.collection + b.name ? -1 : 1)));
  });
});

describe('secwatch run --once matches the stored inventory too', () => {
  async function matchesAfterRun(setup: (config: string) => Promise<void>): Promise<Match[]> {
    const { config, dataDir } = demoConfig();
    await setup(config);
    const r = secwatch(['run', '--once', '--json', '--config', config]);
    expect(r.code).toBe(0);
    const store = await openStore(`sqlite:${join(dataDir, 'secwatch.db')}`);
    try {
      return await store.listMatches();
    } finally {
      await store.close();
    }
  }
  const advisoriesOf = (ms: readonly Match[], name: string) => ms.filter((m) => m.item.name === name).map((m) => m.advisoryId).sort();

  it('a collection imported under the config file\'s collection name replaces it; the others still match', async () => {
    const plain = await matchesAfterRun(() => Promise.resolve());
    const file = join(work, 'demo-override.csv');
    writeFileSync(
      file,
      'name,vendor,product,version,instances,location,owner,exposed\n' +
        'imported exchange,Microsoft Corporation,Exchange Server 2019,CU14,4,datacenter A,messaging-team,yes\n',
    );
    const imported = await matchesAfterRun(async (config) => {
      expect((await importFile(file, { collection: 'demo', config })).code).toBe(0);
    });
    const exchange = advisoriesOf(plain, 'Exchange Server 2019 mail cluster');
    expect(exchange.length).toBeGreaterThan(0);
    expect(advisoriesOf(imported, 'imported exchange')).toEqual(exchange);
    // The other items of the file's "demo" collection are gone with it; "ci" and "workstations" are untouched.
    const demoNames = new Set(plain.filter((m) => m.item.collection === 'demo').map((m) => m.item.name));
    expect(demoNames.size).toBeGreaterThan(1);
    expect(imported.filter((m) => m.item.collection === 'demo').map((m) => m.item.name)).toEqual(expect.arrayContaining(['imported exchange']));
    expect(new Set(imported.filter((m) => m.item.collection === 'demo').map((m) => m.item.name))).toEqual(new Set(['imported exchange']));
    const others = (ms: readonly Match[]) => ms.filter((m) => m.item.collection !== 'demo').map((m) => `${m.advisoryId} ${m.item.collection}/${m.item.name}`).sort();
    expect(others(imported)).toEqual(others(plain));
    expect(others(plain).length).toBeGreaterThan(0);
  }, 180_000);
});

describe('secwatch inventory import re-matches the advisories already stored', () => {
  it('adds the imported item to advisories stored before the import, drops the replaced items, plans no alerts; a rerun changes nothing', async () => {
    const { config, dataDir } = demoConfig();
    expect(secwatch(['run', '--once', '--json', '--config', config]).code).toBe(0);
    const openDemo = () => openStore(`sqlite:${join(dataDir, 'secwatch.db')}`);
    const before = await openDemo();
    const [plain, deliveries] = await Promise.all([before.listMatches(), before.listDeliveries()]).finally(() => before.close());
    const exchange = plain.filter((m) => m.item.name === 'Exchange Server 2019 mail cluster').map((m) => m.advisoryId).sort();
    expect(exchange.length).toBeGreaterThan(0);
    const demoMatches = plain.filter((m) => m.item.collection === 'demo').length;

    const file = join(work, 'rematch-demo.csv');
    writeFileSync(file, 'name,vendor,product,version,instances\nimported exchange,Microsoft Corporation,Exchange Server 2019,CU14,4\n');
    const first = await importFile(file, { collection: 'demo', config });
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`secwatch: rematch: added ${exchange.length}, removed ${demoMatches}, changed 0 match(es)`);
    expect(first.stdout).toMatch(/no alerts planned\n$/);

    const after = await openDemo();
    const [matches, deliveriesAfter] = await Promise.all([after.listMatches(), after.listDeliveries()]).finally(() => after.close());
    expect(matches.filter((m) => m.item.name === 'imported exchange').map((m) => m.advisoryId).sort()).toEqual(exchange);
    expect(matches.filter((m) => m.item.collection === 'demo').map((m) => m.item.name)).toEqual(Array(exchange.length).fill('imported exchange'));
    expect(deliveriesAfter.length).toBe(deliveries.length);

    const again = await importFile(file, { collection: 'demo', config, json: true });
    expect(JSON.parse(again.stdout)).toMatchObject({ added: 0, changed: 0, removed: 0, unchanged: 1 });
    expect(JSON.parse(again.stdout)).not.toHaveProperty('rematch');
  }, 120_000);
});
