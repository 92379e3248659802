import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { corpusPath } from '../helpers/corpus.js';

// `secwatch match` through the real binary (bin/secwatch.js → dist/): parse | match is the contract.

const run = promisify(execFile);
const BIN = resolve('bin/secwatch.js');

async function secwatch(args: string[], stdin?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = run(process.execPath, [BIN, ...args], { maxBuffer: 64 * 1024 * 1024 });
  if (stdin !== undefined) child.child.stdin?.end(stdin);
  else child.child.stdin?.end();
  try {
    const { stdout, stderr } = await child;
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const dir = mkdtempSync(join(tmpdir(), 'secwatch-match-'));
const inventory = join(dir, 'inventory.yaml');
writeFileSync(
  inventory,
  [
    'collection: build-hosts',
    'items:',
    '  - name: ci go toolchain',
    '    purl: pkg:golang/stdlib@1.22.1',
    '    instances: 3',
    '    testsFirst: true',
    '  - name: release go toolchain',
    '    purl: pkg:golang/stdlib@1.22.2',
    '  - name: net module',
    '    purl: pkg:golang/golang.org/x/net',
    '',
  ].join('\n'),
);

beforeAll(() => {
  if (!existsSync('dist/cli/main.js')) throw new Error('dist/ is missing: run `npm run build` (npm test does it first)');
});

describe('secwatch match', () => {
  it('reads `secwatch parse` output from a file and prints one line per match with apply-by', async () => {
    const parsed = await secwatch(['parse', corpusPath('osv/go-vulndb/GO-2024-2687.json')]);
    expect(parsed.code).toBe(0);
    const file = join(dir, 'advisories.jsonl');
    writeFileSync(file, parsed.stdout);
    const { code, stdout } = await secwatch(['match', '--inventory', inventory, file]);
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown> & { item: { name: string } });
    expect(lines.map((l) => [l.item.name, l.confidence])).toEqual([
      ['ci go toolchain', 'high'],
      ['net module', 'low'],
    ]);
    for (const l of lines) {
      expect(Object.keys(l).sort()).toEqual(['advisoryId', 'applyBy', 'applyByRule', 'confidence', 'item', 'reason']);
      expect(l.advisoryId).toBe('osv:GO-2024-2687');
      expect(typeof l.applyByRule).toBe('string');
    }
    expect(lines[0]).toMatchObject({ item: { collection: 'build-hosts', instances: 3, testsFirst: true } });
    expect(lines[1]?.reason).toMatch(/version unknown/);
  });

  it('reads stdin with `-` and prints nothing when nothing matches', async () => {
    const parsed = await secwatch(['parse', corpusPath('osv/go-vulndb/GO-2021-0113.json')]);
    const { code, stdout } = await secwatch(['match', '--inventory', inventory, '-'], parsed.stdout);
    expect(code).toBe(0);
    expect(stdout).toBe('');
  });

  it('names the line of a malformed advisory and exits 2', async () => {
    const { code, stderr } = await secwatch(['match', '--inventory', inventory, '-'], '{"id":"x","products":[]}\nnot json\n');
    expect(code).toBe(2);
    expect(stderr).toMatch(/^secwatch: \(stdin\):2: not a JSON advisory/);
  });

  it('takes aliases, keyword rules and the apply-by policy from --config', async () => {
    const cfg = join(dir, 'secwatch.yaml');
    writeFileSync(
      cfg,
      ['policy: { applyBy: [msrc-classic, kev, bod-26-04] }', 'matching:', '  keywords:', "    - { pattern: 'go1\\.22', collection: build-hosts }", ''].join('\n'),
    );
    const parsed = await secwatch(['parse', corpusPath('osv/go-vulndb/GO-2021-0113.json')]);
    const advisory = JSON.parse(parsed.stdout.trim().split('\n')[0]!) as Record<string, unknown>;
    const line = JSON.stringify({ ...advisory, title: 'Toolchain go1.22 notice', exploited: { kev: { dateAdded: '2025-01-01', dueDate: '2025-02-01', ransomware: false } } });
    const { code, stdout, stderr } = await secwatch(['match', '--inventory', inventory, '--config', cfg, '-'], `${line}\n`);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l) as { item: { name: string }; confidence: string; reason: string; applyByRule: string });
    expect(lines.map((l) => [l.item.name, l.confidence])).toEqual([
      ['ci go toolchain', 'low'],
      ['net module', 'low'],
      ['release go toolchain', 'low'],
    ]);
    for (const l of lines) {
      expect(l.reason).toMatch(/^keyword: keyword rule #1 /);
      expect(l.applyByRule).toMatch(/^bod-26-04: KEV-listed, not internet-facing: 14 days/);
    }
  });

  describe('--inventory in every import format', () => {
    const fleet = (name: string): string => resolve('test/fixtures/inventory', name);
    const goAdvisories = async (): Promise<string> => (await secwatch(['parse', corpusPath('osv/go-vulndb/GO-2024-2687.json')])).stdout;
    const matchedNames = (stdout: string): string[] =>
      stdout.trim().split('\n').map((l) => (JSON.parse(l) as { item: { name: string; collection: string } }).item).map((i) => `${i.collection}/${i.name}`);

    it('reads CSV by its extension', async () => {
      const { code, stdout, stderr } = await secwatch(['match', '--inventory', fleet('fleet.csv'), '-'], await goAdvisories());
      expect(stderr).toBe('');
      expect(code).toBe(0);
      expect(matchedNames(stdout)).toContain('fleet/build hosts Go toolchain');
    });

    it('reads CycloneDX JSON by its extension', async () => {
      const { code, stdout, stderr } = await secwatch(['match', '--inventory', fleet('fleet.cdx.json'), '-'], await goAdvisories());
      expect(stderr).toBe('');
      expect(code).toBe(0);
      expect(matchedNames(stdout)).toContain('fleet/build hosts Go toolchain');
    });

    it('reads YAML by its extension (the fixture the import tests use)', async () => {
      const { code, stdout } = await secwatch(['match', '--inventory', fleet('fleet.yaml'), '-'], await goAdvisories());
      expect(code).toBe(0);
      expect(matchedNames(stdout)).toContain('fleet/build hosts Go toolchain');
    });

    it('takes --format when the extension says nothing, and reports bad rows on stderr but matches the rest', async () => {
      const file = join(dir, 'hosts.txt');
      writeFileSync(file, ['name,purl,instances', 'go on ci,pkg:golang/stdlib@1.22.1,2', 'broken,,many', ''].join('\n'));
      const { code, stdout, stderr } = await secwatch(['match', '--inventory', file, '--format', 'csv', '-'], await goAdvisories());
      expect(code).toBe(0);
      expect(matchedNames(stdout)).toEqual(['hosts.txt/go on ci']);
      expect(stderr).toMatch(/^secwatch: .*hosts\.txt: line 3: /);
    });

    it('refuses an unknown --format', async () => {
      const { code, stderr } = await secwatch(['match', '--inventory', fleet('fleet.csv'), '--format', 'xml', '-'], '');
      expect(code).not.toBe(0);
      expect(stderr).toMatch(/--format/);
    });
  });
});
