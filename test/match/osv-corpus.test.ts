import { describe, expect, it } from 'vitest';
import { buildAliasTable, buildInventoryIndex, matchAdvisory } from '../../src/match/index.js';
import type { Advisory } from '../../src/model/advisory.js';
import type { InventoryItem } from '../../src/model/inventory.js';
import type { ApplyByPolicy } from '../../src/normalize/apply-by.js';
import { normalizeAdvisory } from '../../src/normalize/normalize.js';
import { parseOsv } from '../../src/parse/index.js';
import { corpusDocument } from '../helpers/corpus.js';
import { OSV_EXPECTED, OSV_INVENTORY } from './corpus-labels.js';

// Every OSV record of the corpus against an inventory written for it: vulnerable, fixed and
// boundary versions. The expected pairs below were derived by reading each record's ranges.

const policy: ApplyByPolicy = { rules: ['msrc-classic', 'kev'], clockStart: 'release' };
const inventory = OSV_INVENTORY;
const EXPECTED = OSV_EXPECTED;
const index = buildInventoryIndex(inventory, buildAliasTable({}));

async function advisoriesOf(rel: string): Promise<Advisory[]> {
  const parsed = await parseOsv(corpusDocument(`osv/${rel}`, { sourceId: 'osv', sourceKind: 'osv' }));
  return parsed.map((p) => normalizeAdvisory(p));
}

const sortPairs = (pairs: [string, string][]): [string, string][] => [...pairs].sort((a, b) => a[0].localeCompare(b[0]));

describe('purl matcher on the OSV corpus', () => {
  it.each(Object.keys(EXPECTED))('%s hits exactly the expected items', async (rel) => {
    const matches = (await advisoriesOf(rel)).flatMap((a) => matchAdvisory(a, index, policy));
    expect(sortPairs(matches.map((m) => [m.item.name, m.confidence]))).toEqual(sortPairs(EXPECTED[rel] ?? []));
    for (const m of matches) expect(m.reason).toMatch(/^purl: /);
  });

  it('says why: the range that holds the version, an open end, version unknown, the ordering used', async () => {
    const reasons = async (rel: string): Promise<Map<string, string>> =>
      new Map((await advisoriesOf(rel)).flatMap((a) => matchAdvisory(a, index, policy)).map((m) => [m.item.name, m.reason]));
    const go = await reasons('go-vulndb/GO-2022-0969.json');
    expect(go.get('go-1.19.0')).toBe('purl: package golang/stdlib 1.19.0 is in the affected range (SEMVER: introduced 1.19.0-0, fixed 1.19.1; semver ordering)');
    expect(go.get('go-banana')).toMatch(/version banana cannot be compared; treated as version unknown/);
    expect((await reasons('go-vulndb/GO-2022-0617.json')).get('k8s-1.30.0')).toMatch(/introduced 0, no fix published/);
    const py = await reasons('osv-schema-testdata/PYSEC-2023-74.json');
    expect(py.get('requests-unknown')).toMatch(/version unknown/);
    expect(py.get('requests-2.30.0.post1')).toMatch(/ECOSYSTEM: introduced 2\.3\.0, fixed 2\.31\.0; pep440 ordering/);
  });

  it('every corpus record is covered by the table above', async () => {
    const { readdirSync } = await import('node:fs');
    const { corpusPath } = await import('../helpers/corpus.js');
    const files = ['github-advisory-database', 'osv-schema-testdata', 'go-vulndb'].flatMap((d) =>
      readdirSync(corpusPath(`osv/${d}`)).filter((f) => f.endsWith('.json')).map((f) => `${d}/${f}`),
    );
    expect(files.sort()).toEqual(Object.keys(EXPECTED).sort());
  });
});

describe('version-aware matchers outrank names', () => {
  it('a fixed version by purl is not overruled by a product-name hit on the same item', async () => {
    const named = (version: string): InventoryItem => ({
      name: `stdlib ${version}`,
      vendor: 'Go',
      product: 'stdlib',
      purl: `pkg:golang/stdlib@${version}`,
      instances: 1,
      collection: 'osv',
    });
    const idx = buildInventoryIndex([named('1.22.2'), named('1.22.1')], buildAliasTable({}));
    const [advisory] = await advisoriesOf('go-vulndb/GO-2024-2687.json');
    const matches = matchAdvisory(advisory!, idx, policy);
    expect(matches.map((m) => [m.item.name, m.confidence, m.reason.split(':')[0]])).toEqual([['stdlib 1.22.1', 'high', 'purl']]);
  });
});
