import { describe, expect, it } from 'vitest';
import { checkVersion, readRange } from '../../src/match/affected-versions.js';
import { buildAliasTable, buildInventoryIndex, matchAdvisory } from '../../src/match/index.js';
import { isFalsePrefixMatch, splitQualifiers } from '../../src/match/qualifiers.js';
import type { InventoryItem } from '../../src/model/inventory.js';
import type { ApplyByPolicy } from '../../src/normalize/apply-by.js';
import { normalizeAdvisory } from '../../src/normalize/normalize.js';
import { parseCsaf } from '../../src/parse/index.js';
import { makeAdvisory } from '../helpers/advisory-factory.js';
import { corpusDocument } from '../helpers/corpus.js';

const policy: ApplyByPolicy = { rules: ['msrc-classic', 'kev'], clockStart: 'release' };

describe('stated versions: vers strings, CSAF range text, fixed builds', () => {
  it('reads vers:, comparator text, "A < B", "All versions" and single versions', () => {
    expect(readRange('vers:npm/>=1.0.0|<2.0.0')).toMatchObject({ scheme: 'semver', constraints: [{ op: '>=', version: '1.0.0' }, { op: '<', version: '2.0.0' }] });
    expect(readRange('vers:pypi/<2.31.0')?.scheme).toBe('pep440');
    expect(readRange('>= 5.4.1 | <= 5.7.1')?.constraints).toHaveLength(2);
    expect(readRange('0 < 8.0.1')?.constraints).toEqual([{ op: '>=', version: '0' }, { op: '<', version: '8.0.1' }]);
    expect(readRange('All versions')?.constraints).toBeUndefined();
    expect(readRange('1.19.5')?.constraints).toEqual([{ op: '=', version: '1.19.5' }]);
    expect(readRange('<V4.00_Utilizes_Wibu-Systems_CodeMeter_7.60c')).toMatchObject({ loose: true, constraints: [{ op: '<', version: 'V4.00' }] });
    expect(readRange('< Main r1175 Estop_v24')).toBeUndefined();
  });

  it('applies vers pairing: an interval, an open lower bound, exclusions', () => {
    const r = { ranges: ['vers:generic/>=1.0|<1.5|>=2.0|<2.2|!=2.1'] };
    expect(checkVersion('1.2', r)?.status).toBe('affected');
    expect(checkVersion('1.7', r)?.status).toBe('not-affected');
    expect(checkVersion('2.1', r)?.status).toBe('not-affected');
    expect(checkVersion('2.1.5', r)?.status).toBe('affected');
    expect(checkVersion('0.9', r)?.status).toBe('not-affected');
  });

  it('a fixed build at or above means not affected, below means affected, on the same build line', () => {
    const fixed = { fixed: ['6.3.9600.22371', '10.0.14393.7699'] };
    expect(checkVersion('6.3.9600.20000', fixed)).toMatchObject({ status: 'affected', exact: true, detail: expect.stringContaining('6.3.9600.22371') as unknown });
    expect(checkVersion('6.3.9600.22371', fixed)?.status).toBe('not-affected');
    expect(checkVersion('10.0.14393.8000', fixed)?.status).toBe('not-affected');
    expect(checkVersion('1.0', { fixed: ['Corefix 14'] })?.status).toBe('unknown');
    expect(checkVersion('1.0', {})).toBeUndefined();
  });

  it('never decides "not affected" from text it cannot read', () => {
    expect(checkVersion('r1200', { ranges: ['< Main r1175 Estop_v24'] })).toMatchObject({ status: 'unknown', detail: expect.stringMatching(/cannot be read/) as unknown });
  });
});

describe('qualifiers in product names', () => {
  it.each([
    ['Windows Server 2012 R2 (Server Core installation)', 'Windows Server 2012 R2', ['Server Core installation']],
    ['Windows 10 Version 1809 for x64-based Systems', 'Windows 10 Version 1809', ['x64-based Systems']],
    ['Windows Server 2008 for 32-bit Systems Service Pack 2 (Server Core installation)', 'Windows Server 2008', ['Server Core installation', '32-bit Systems', 'Service Pack 2']],
    ['Microsoft Office 2019 for 64-bit editions', 'Microsoft Office 2019', ['64-bit editions']],
    ['.NET 8.0 installed on Linux', '.NET 8.0', ['installed on Linux']],
    ['Microsoft Exchange Server 2019 Cumulative Update 14', 'Microsoft Exchange Server 2019', ['Cumulative Update 14']],
    ['Windows Server 2022, 23H2 Edition (Server Core installation)', 'Windows Server 2022, 23H2 Edition', ['Server Core installation']],
  ])('%s → %s', (name, base, qualifiers) => {
    expect(splitQualifiers(name)).toEqual({ base, qualifiers });
  });

  it('tells another release from an edition', () => {
    expect(isFalsePrefixMatch('windows server 2012', 'windows server 2012 r2', false)).toBe(true);
    expect(isFalsePrefixMatch('windows server 2022', 'windows server 2022 23h2 edition', false)).toBe(true);
    expect(isFalsePrefixMatch('office 2019', 'office 2019 for mac', false)).toBe(true);
    expect(isFalsePrefixMatch('windows 10', 'windows 10 version 1607', false)).toBe(false);
    expect(isFalsePrefixMatch('windows 10', 'windows 10 version 1607', true)).toBe(true);
    expect(isFalsePrefixMatch('exchange server', 'exchange server 2019', true)).toBe(false);
  });
});

describe('CSAF ranges through the product-name and CPE matchers', () => {
  const item = (name: string, vendor: string, product: string, version?: string, over: Partial<InventoryItem> = {}): InventoryItem => ({
    name,
    vendor,
    product,
    instances: 1,
    collection: 'ics',
    ...(version === undefined ? {} : { version }),
    ...over,
  });

  async function pairs(rel: string, inventory: InventoryItem[]): Promise<[string, string][]> {
    const [parsed] = await parseCsaf(corpusDocument(rel, { sourceId: 'cisa', sourceKind: 'csaf' }));
    return matchAdvisory(normalizeAdvisory(parsed!), buildInventoryIndex(inventory, buildAliasTable({})), policy).map((m) => [m.item.name, m.confidence]);
  }

  // icsa-24-011-03: Rapid SCADA "<=5.8.4" (product_version_range).
  it('Rapid SCADA <=5.8.4: 5.8.4 and below hit, 5.8.5 not, no version at lower confidence', async () => {
    const inv = [
      item('scada-584', 'Rapid Software LLC', 'Rapid SCADA', '5.8.4'),
      item('scada-570', 'Rapid Software LLC', 'Rapid SCADA', '5.7.0'),
      item('scada-585', 'Rapid Software LLC', 'Rapid SCADA', '5.8.5'),
      item('scada-6', 'Rapid Software LLC', 'Rapid SCADA', '6.0'),
      item('scada-any', 'Rapid Software LLC', 'Rapid SCADA'),
    ];
    expect((await pairs('csaf/cisa/OT/white/2024/icsa-24-011-03.json', inv)).sort()).toEqual([
      ['scada-570', 'high'],
      ['scada-584', 'high'],
      ['scada-any', 'medium'],
    ]);
  });

  // icsa-22-011-01: VideoEdge ">= 5.4.1 | <= 5.7.1" — an interval.
  it('VideoEdge ">= 5.4.1 | <= 5.7.1" is an interval', async () => {
    const v = 'Sensormatic Electronics, LLC, Johnson Controls Inc.';
    const inv = [item('ve-540', v, 'VideoEdge', '5.4.0'), item('ve-541', v, 'VideoEdge', '5.4.1'), item('ve-571', v, 'VideoEdge', '5.7.1'), item('ve-572', v, 'VideoEdge', '5.7.2')];
    expect((await pairs('csaf/cisa/OT/white/2022/icsa-22-011-01.json', inv)).sort()).toEqual([
      ['ve-541', 'high'],
      ['ve-571', 'high'],
    ]);
  });

  // va-24-254-02: TopBraid EDG "7.1.3" and "0 < 8.0.1", fixed 8.0.1.
  it('TopBraid EDG: below 8.0.1 hit, 8.0.1 fixed', async () => {
    const inv = [item('edg-713', 'TopQuadrant', 'TopBraid EDG', '7.1.3'), item('edg-800', 'TopQuadrant', 'TopBraid EDG', '8.0'), item('edg-801', 'TopQuadrant', 'TopBraid EDG', '8.0.1')];
    expect((await pairs('csaf/cisa/IT/white/2024/va-24-254-02.json', inv)).sort()).toEqual([
      ['edg-713', 'high'],
      ['edg-800', 'high'],
    ]);
  });

  it('a CPE with a range compares versions; a fixed CVRF build in the CPE version field means "fixed in"', () => {
    const cpeItem = (name: string, cpe: string, version?: string): InventoryItem => ({ name, cpe, instances: 1, collection: 'c', ...(version ? { version } : {}) });
    const inv = [
      cpeItem('edge-120', 'cpe:2.3:a:acme:widget:1.2.0:*:*:*:*:*:*:*'),
      cpeItem('edge-200', 'cpe:2.3:a:acme:widget:2.0.0:*:*:*:*:*:*:*'),
      cpeItem('edge-any', 'cpe:2.3:a:acme:widget:*:*:*:*:*:*:*:*'),
      cpeItem('win-old', 'cpe:2.3:o:microsoft:windows_server_2012_r2:*:*:*:*:*:*:*:*', '6.3.9600.20000'),
      cpeItem('win-new', 'cpe:2.3:o:microsoft:windows_server_2012_r2:6.3.9600.22371:*:*:*:*:*:*:*'),
    ];
    const a = makeAdvisory({
      products: [
        { product: 'Widget', cpe: 'cpe:2.3:a:acme:widget:*:*:*:*:*:*:*:*', ranges: ['vers:generic/>=1.0.0|<1.5.0'] },
        { product: 'Windows Server 2012 R2', cpe: 'cpe:2.3:o:microsoft:windows_server_2012_R2:6.3.9600.22371:*:*:*:*:*:x64:*', fixed: ['6.3.9600.22371'] },
      ],
    });
    const got = matchAdvisory(a, buildInventoryIndex(inv, buildAliasTable({})), policy);
    expect(got.map((m) => [m.item.name, m.confidence]).sort()).toEqual([
      ['edge-120', 'high'],
      ['edge-any', 'low'],
      ['win-old', 'high'],
    ]);
    expect(got.find((m) => m.item.name === 'edge-any')?.reason).toMatch(/inventory gives no version/);
    expect(got.find((m) => m.item.name === 'win-old')?.reason).toMatch(/below the fixed version 6\.3\.9600\.22371/);
  });
});

describe('fixed builds of other release lines', () => {
  it('say nothing about an item on another build line: version unknown, never "affected"', () => {
    expect(checkVersion('10.0.10240.30000', { fixed: ['10.0.14393.7699'] })).toMatchObject({ status: 'unknown', detail: expect.stringMatching(/other build lines/) as unknown });
    expect(checkVersion('10.0.14393.100', { fixed: ['10.0.14393.7699', '10.0.17763.6775'] })?.status).toBe('affected');
  });
});

describe('CSAF products with a purl and stated versions', () => {
  it('orders vers strings and fixed versions by the package type', () => {
    const a = makeAdvisory({
      products: [
        { product: 'requests', purl: 'pkg:pypi/requests', ranges: ['vers:pypi/>=2.3.0|<2.31.0'] },
        { product: 'openssl', purl: 'pkg:deb/debian/openssl', fixed: ['3.0.11-1~deb12u2'] },
      ],
    });
    const inv: InventoryItem[] = [
      { name: 'req post', purl: 'pkg:pypi/requests@2.30.0.post1', instances: 1, collection: 'p' },
      { name: 'req rc', purl: 'pkg:pypi/requests@2.31.0rc1', instances: 1, collection: 'p' },
      { name: 'req fixed', purl: 'pkg:pypi/requests@2.31.0', instances: 1, collection: 'p' },
      { name: 'ssl u1', purl: 'pkg:deb/debian/openssl@3.0.11-1~deb12u1', instances: 1, collection: 'p' },
      { name: 'ssl u2', purl: 'pkg:deb/debian/openssl@3.0.11-1~deb12u2', instances: 1, collection: 'p' },
    ];
    const got = matchAdvisory(a, buildInventoryIndex(inv, buildAliasTable({})), policy);
    // PEP 440: 2.31.0rc1 is a pre-release of 2.31.0, so below the bound; dpkg: ~deb12u1 < ~deb12u2.
    expect(got.map((m) => [m.item.name, m.confidence]).sort()).toEqual([
      ['req post', 'high'],
      ['req rc', 'high'],
      ['ssl u1', 'high'],
    ]);
    expect(got.find((m) => m.item.name === 'ssl u1')?.reason).toMatch(/below the fixed version 3\.0\.11-1~deb12u2 \(dpkg ordering\)/);
  });
});
