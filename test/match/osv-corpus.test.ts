import { describe, expect, it } from 'vitest';
import { buildAliasTable, buildInventoryIndex, matchAdvisory } from '../../src/match/index.js';
import type { Advisory } from '../../src/model/advisory.js';
import type { InventoryItem } from '../../src/model/inventory.js';
import type { ApplyByPolicy } from '../../src/normalize/apply-by.js';
import { normalizeAdvisory } from '../../src/normalize/normalize.js';
import { parseOsv } from '../../src/parse/index.js';
import { corpusDocument } from '../helpers/corpus.js';

// Every OSV record of the corpus against an inventory written for it: vulnerable, fixed and
// boundary versions. The expected pairs below were derived by reading each record's ranges.

const policy: ApplyByPolicy = { rules: ['msrc-classic', 'kev'], clockStart: 'release' };
const pkg = (name: string, purl: string, version?: string): InventoryItem => ({
  name,
  purl,
  instances: 1,
  collection: 'osv',
  ...(version === undefined ? {} : { version }),
});

const inventory: InventoryItem[] = [
  pkg('go-1.18.5', 'pkg:golang/stdlib@1.18.5'),
  pkg('go-1.18.6', 'pkg:golang/stdlib', 'v1.18.6'), // fixed for GO-2022-0969 (first range), `v` prefix
  pkg('go-1.19.0', 'pkg:golang/stdlib@1.19.0'), // second range of GO-2022-0969 starts at 1.19.0-0
  pkg('go-1.19.1', 'pkg:golang/stdlib@1.19.1'),
  pkg('go-1.20.0', 'pkg:golang/stdlib@1.20.0'),
  pkg('go-1.20.1', 'pkg:golang/stdlib@1.20.1'),
  pkg('go-1.21.0', 'pkg:golang/stdlib', 'go1.21.0'), // toolchain spelling
  pkg('go-1.21.3', 'pkg:golang/stdlib@1.21.3'),
  pkg('go-1.21.9', 'pkg:golang/stdlib@1.21.9'), // fixed on the 1.21 line, below the 1.22 range
  pkg('go-1.22.1', 'pkg:golang/stdlib@1.22.1'),
  pkg('go-1.22.2', 'pkg:golang/stdlib@1.22.2'),
  pkg('go-banana', 'pkg:golang/stdlib@banana'),
  pkg('xnet-pseudo', 'pkg:golang/golang.org/x/net@v0.0.0-20220101000000-abcdefabcdef'),
  pkg('xnet-0.6.0', 'pkg:golang/golang.org/x/net@v0.6.0'),
  pkg('xnet-0.17.0', 'pkg:golang/golang.org/x/net@v0.17.0'),
  pkg('xnet-0.23.0', 'pkg:golang/golang.org/x/net@v0.23.0'),
  pkg('k8s-1.30.0', 'pkg:golang/k8s.io/kubernetes@v1.30.0'), // open-ended range, no fix
  pkg('protobuf-1.32.0', 'pkg:golang/google.golang.org/protobuf@v1.32.0'),
  pkg('protobuf-1.33.0', 'pkg:golang/google.golang.org/protobuf@v1.33.0'),
  pkg('crypto-0.34.0', 'pkg:golang/golang.org/x/crypto@v0.34.0'),
  pkg('crypto-0.35.0', 'pkg:golang/golang.org/x/crypto@v0.35.0'),
  pkg('text-0.3.6', 'pkg:golang/golang.org/x/text@v0.3.6'),
  pkg('text-0.3.7', 'pkg:golang/golang.org/x/text@v0.3.7'),
  pkg('requests-2.2.1', 'pkg:pypi/requests@2.2.1'),
  pkg('requests-2.3.0', 'pkg:pypi/requests@2.3.0'), // introduced, and listed
  pkg('requests-2.30.0.post1', 'pkg:pypi/requests@2.30.0.post1'), // in range but not listed: generic ordering
  pkg('requests-2.31.0', 'pkg:pypi/Requests@2.31.0'),
  pkg('requests-unknown', 'pkg:pypi/requests'),
  pkg('gradio-4.36.1', 'pkg:pypi/gradio@4.36.1'),
  pkg('gradio-4.37.0', 'pkg:pypi/gradio@4.37.0'),
  pkg('123bla-0.0.1', 'pkg:pypi/123bla@0.0.1'),
];
const index = buildInventoryIndex(inventory, buildAliasTable({}));

const H = 'high';
const EXPECTED: Record<string, [string, string][]> = {
  'github-advisory-database/GHSA-9v2f-6vcg-3hgv.json': [['gradio-4.36.1', H]],
  'osv-schema-testdata/GHSA-9v2f-6vcg-3hgv.linter-modified.json': [['gradio-4.36.1', H]],
  'osv-schema-testdata/MAL-2024-10238.json': [['123bla-0.0.1', H]],
  'osv-schema-testdata/RHSA-2022_0216.json': [],
  'osv-schema-testdata/PYSEC-2023-74.json': [
    ['requests-2.3.0', H],
    ['requests-2.30.0.post1', 'medium'],
    ['requests-unknown', 'low'],
  ],
  'osv-schema-testdata/CVE-2023-41045.json': [], // GIT ranges only
  'go-vulndb/GO-2022-0969.json': [
    ['go-1.18.5', H],
    ['go-1.19.0', H],
    ['xnet-pseudo', H],
    ['go-banana', 'low'],
  ],
  'go-vulndb/GO-2022-0617.json': [['k8s-1.30.0', H]],
  'go-vulndb/GO-2023-1571.json': [
    ['go-1.18.5', H],
    ['go-1.18.6', H],
    ['go-1.19.0', H],
    ['go-1.19.1', H],
    ['go-1.20.0', H],
    ['xnet-0.6.0', H],
    ['xnet-pseudo', H],
    ['go-banana', 'low'],
  ],
  'go-vulndb/GO-2024-2611.json': [['protobuf-1.32.0', H]],
  'go-vulndb/GO-2025-3487.json': [['crypto-0.34.0', H]],
  'go-vulndb/GO-2023-2102.json': [
    ['go-1.18.5', H],
    ['go-1.18.6', H],
    ['go-1.19.0', H],
    ['go-1.19.1', H],
    ['go-1.20.0', H],
    ['go-1.20.1', H],
    ['go-1.21.0', H],
    ['xnet-0.6.0', H],
    ['xnet-pseudo', H],
    ['go-banana', 'low'],
  ],
  'go-vulndb/GO-2024-2687.json': [
    ['go-1.18.5', H],
    ['go-1.18.6', H],
    ['go-1.19.0', H],
    ['go-1.19.1', H],
    ['go-1.20.0', H],
    ['go-1.20.1', H],
    ['go-1.21.0', H],
    ['go-1.21.3', H],
    ['go-1.22.1', H],
    ['xnet-0.17.0', H],
    ['xnet-0.6.0', H],
    ['xnet-pseudo', H],
    ['go-banana', 'low'],
  ],
  'go-vulndb/GO-2021-0113.json': [['text-0.3.6', H]],
};

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

  it('says why: the range that holds the version, an open end, version unknown, generic ordering', async () => {
    const reasons = async (rel: string): Promise<Map<string, string>> =>
      new Map((await advisoriesOf(rel)).flatMap((a) => matchAdvisory(a, index, policy)).map((m) => [m.item.name, m.reason]));
    const go = await reasons('go-vulndb/GO-2022-0969.json');
    expect(go.get('go-1.19.0')).toBe('purl: package golang/stdlib 1.19.0 is in the affected range (SEMVER: introduced 1.19.0-0, fixed 1.19.1)');
    expect(go.get('go-banana')).toMatch(/version banana cannot be compared; treated as version unknown/);
    expect((await reasons('go-vulndb/GO-2022-0617.json')).get('k8s-1.30.0')).toMatch(/introduced 0, no fix published/);
    const py = await reasons('osv-schema-testdata/PYSEC-2023-74.json');
    expect(py.get('requests-unknown')).toMatch(/version unknown/);
    expect(py.get('requests-2.30.0.post1')).toMatch(/ECOSYSTEM: introduced 2\.3\.0, fixed 2\.31\.0; generic version ordering/);
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
