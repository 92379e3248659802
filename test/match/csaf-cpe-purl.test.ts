import { describe, expect, it } from 'vitest';
import { buildAliasTable, buildInventoryIndex, matchAdvisory, parseCpe, parsePurl } from '../../src/match/index.js';
import { compareGeneric, evaluateRange, toSemver } from '../../src/match/versions.js';
import type { Advisory } from '../../src/model/advisory.js';
import type { InventoryItem } from '../../src/model/inventory.js';
import type { ApplyByPolicy } from '../../src/normalize/apply-by.js';
import { normalizeAdvisory } from '../../src/normalize/normalize.js';
import { parseCsaf } from '../../src/parse/index.js';
import { makeAdvisory } from '../helpers/advisory-factory.js';
import { corpusDocument } from '../helpers/corpus.js';

const policy: ApplyByPolicy = { rules: ['msrc-classic', 'kev'], clockStart: 'release' };
const item = (over: Partial<InventoryItem> & { name: string }): InventoryItem => ({ instances: 1, collection: 'csaf', ...over });
const pairs = (a: Advisory, inv: InventoryItem[]): [string, string][] =>
  matchAdvisory(a, buildInventoryIndex(inv, buildAliasTable({})), policy)
    .map((m): [string, string] => [m.item.name, m.confidence])
    .sort((x, y) => x[0].localeCompare(y[0]));

describe('CSAF products by purl and CPE (Red Hat RHSA-2024:4546)', () => {
  // The document lists git-lfs 2.13.3-3.el8_6.1 as fixed (purl with version) on three RHEL 8.6 streams (cpe:/ 2.2 URIs).
  const inventory = [
    item({ name: 'git-lfs old', purl: 'pkg:rpm/redhat/git-lfs@2.13.3-2.el8?arch=x86_64' }),
    item({ name: 'git-lfs fixed', purl: 'pkg:rpm/redhat/git-lfs@2.13.3-3.el8_6.1?arch=x86_64' }),
    item({ name: 'git-lfs newer', purl: 'pkg:rpm/redhat/git-lfs', version: '2.13.4-1.el8' }),
    item({ name: 'git-lfs unknown', purl: 'pkg:rpm/redhat/git-lfs' }),
    item({ name: 'rhel aus 8.6', cpe: 'cpe:2.3:a:redhat:rhel_aus:8.6:*:*:*:*:*:*:*' }),
    item({ name: 'rhel aus 8.4', cpe: 'cpe:2.3:a:redhat:rhel_aus:8.4:*:*:*:*:*:*:*' }),
    item({ name: 'rhel tus any', cpe: 'cpe:2.3:a:redhat:rhel_tus:*:*:*:*:*:*:*:*' }),
    item({ name: 'rhel e4s by version', cpe: 'cpe:2.3:a:redhat:rhel_e4s:*:*:*:*:*:*:*:*', version: '8.6' }),
  ];

  it('hits older packages and the listed streams, not the fixed or newer builds', async () => {
    const parsed = await parseCsaf(corpusDocument('csaf/redhat/rhsa-2024_4546.json', { sourceId: 'redhat', sourceKind: 'csaf' }));
    const advisory = normalizeAdvisory(parsed[0]!);
    expect(pairs(advisory, inventory)).toEqual([
      ['git-lfs old', 'high'],
      ['git-lfs unknown', 'low'],
      ['rhel aus 8.6', 'high'],
      ['rhel e4s by version', 'high'],
      ['rhel tus any', 'low'],
    ]);
    const reasons = matchAdvisory(advisory, buildInventoryIndex(inventory, buildAliasTable({})), policy).map((m) => m.reason);
    expect(reasons).toContain('cpe: CPE redhat:rhel_aus version 8.6 equals the inventory\'s');
    expect(reasons.find((r) => r.includes('git-lfs') && r.includes('2.13.3-2.el8'))).toMatch(/fixed 2\.13\.3-3\.el8_6\.1; rpm ordering/);
  });
});

describe('CPE matcher', () => {
  const inv = [
    item({ name: 'openssl 3.0.7', cpe: 'cpe:2.3:a:openssl:openssl:3.0.7:*:*:*:*:*:*:*' }),
    item({ name: 'openssl 3.0.8', cpe: 'cpe:2.3:a:openssl:openssl:3.0.8:*:*:*:*:*:*:*' }),
    item({ name: 'openssl os?', cpe: 'cpe:2.3:o:openssl:openssl:3.0.7:*:*:*:*:*:*:*' }),
  ];
  it('compares vendor, product, part and version; `*` and `-` cover every version', () => {
    const exact = makeAdvisory({ products: [{ product: 'OpenSSL', cpe: 'cpe:2.3:a:openssl:openssl:3.0.7:*:*:*:*:*:*:*' }] });
    expect(pairs(exact, inv)).toEqual([['openssl 3.0.7', 'high']]);
    const any = makeAdvisory({ products: [{ product: 'OpenSSL', cpe: 'cpe:2.3:a:openssl:openssl:-:*:*:*:*:*:*:*' }] });
    expect(pairs(any, inv)).toEqual([
      ['openssl 3.0.7', 'medium'],
      ['openssl 3.0.8', 'medium'],
    ]);
  });
  it('reads escaped 2.3 names and 2.2 URIs', () => {
    expect(parseCpe('cpe:2.3:a:acme:web\\:server:1.0:*:*:*:*:*:*:*')).toMatchObject({ vendor: 'acme', product: 'web:server', version: '1.0' });
    expect(parseCpe('cpe:/a:redhat:rhel_aus:8.6::appstream')).toMatchObject({ part: 'a', vendor: 'redhat', product: 'rhel_aus', version: '8.6' });
    expect(parseCpe('not a cpe')).toBeUndefined();
  });
});

describe('purl and version primitives', () => {
  it('parses purls with namespaces, encodings, qualifiers and PEP 503 names', () => {
    expect(parsePurl('pkg:npm/%40angular/core@17.0.1')).toMatchObject({ key: 'npm/@angular/core', version: '17.0.1' });
    expect(parsePurl('pkg:golang/golang.org/x/net@v0.17.0')).toMatchObject({ key: 'golang/golang.org/x/net', version: 'v0.17.0' });
    expect(parsePurl('pkg:pypi/Foo_Bar.baz@1.0')).toMatchObject({ key: 'pypi/foo-bar-baz' });
    expect(parsePurl('pkg:deb/debian/openssl@3.0.11-1?arch=amd64')).toMatchObject({ key: 'deb/openssl', version: '3.0.11-1' });
    expect(parsePurl('openssl')).toBeUndefined();
  });
  it('orders semver with v/go prefixes and short versions, and generic versions by numeric runs', () => {
    expect(toSemver('go1.21')?.version).toBe('1.21.0');
    expect(toSemver('v1.2.3-rc.1')?.version).toBe('1.2.3-rc.1');
    expect(compareGeneric('2.10.0', '2.9.9')).toBe(1);
    expect(compareGeneric('1.0.rc1', '1.0.1')).toBe(-1);
    expect(compareGeneric('1.0', '1.0.0')).toBe(-1);
  });
  it('applies last_affected (inclusive) and limit (exclusive cap)', () => {
    const range = { type: 'SEMVER', events: [{ introduced: '1.0.0' }, { last_affected: '1.4.0' }] };
    expect(evaluateRange('1.4.0', range, 'semver')).toMatchObject({ status: 'affected', bound: 'last_affected', to: '1.4.0' });
    expect(evaluateRange('1.4.1', range, 'semver').status).toBe('not-affected');
    expect(evaluateRange('0.9.0', range, 'semver').status).toBe('not-affected');
    const limited = { type: 'SEMVER', events: [{ introduced: '0' }, { limit: '2.0.0' }] };
    expect(evaluateRange('1.9.9', limited, 'semver').status).toBe('affected');
    expect(evaluateRange('2.0.0', limited, 'semver').status).toBe('not-affected');
  });
});

describe('purl matcher: ecosystems without their own ordering', () => {
  it('falls back to generic ordering at medium confidence and says so', () => {
    const a = makeAdvisory({
      products: [{ product: 'plug', ecosystem: 'Hex', osvRanges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.15.0' }] }] }],
    });
    const inv = [item({ name: 'plug old', purl: 'pkg:hex/plug@1.14.2' }), item({ name: 'plug new', purl: 'pkg:hex/plug@1.15.0' })];
    const got = matchAdvisory(a, buildInventoryIndex(inv, buildAliasTable({})), policy);
    expect(got.map((m) => [m.item.name, m.confidence])).toEqual([['plug old', 'medium']]);
    expect(got[0]?.reason).toMatch(/generic version ordering, not the ecosystem's own/);
  });

  it('orders Debian and Maven packages by their own rules at high confidence', () => {
    const a = makeAdvisory({
      products: [
        { product: 'openssl', ecosystem: 'Debian:12', osvRanges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '3.0.11-1~deb12u2' }] }] },
        { product: 'org.apache.logging.log4j:log4j-core', ecosystem: 'Maven', osvRanges: [{ type: 'ECOSYSTEM', events: [{ introduced: '2.0-beta9' }, { fixed: '2.15.0' }] }] },
      ],
    });
    const inv = [
      item({ name: 'openssl deb12u1', purl: 'pkg:deb/debian/openssl@3.0.11-1~deb12u1' }),
      item({ name: 'openssl deb12u2', purl: 'pkg:deb/debian/openssl@3.0.11-1~deb12u2' }),
      item({ name: 'log4j rc', purl: 'pkg:maven/org.apache.logging.log4j/log4j-core@2.15.0-rc1' }),
      item({ name: 'log4j 2.15', purl: 'pkg:maven/org.apache.logging.log4j/log4j-core@2.15.0' }),
      item({ name: 'log4j alpha', purl: 'pkg:maven/org.apache.logging.log4j/log4j-core@2.0-alpha1' }),
    ];
    const got = matchAdvisory(a, buildInventoryIndex(inv, buildAliasTable({})), policy);
    expect(got.map((m) => [m.item.name, m.confidence]).sort()).toEqual([
      ['log4j rc', 'high'],
      ['openssl deb12u1', 'high'],
    ]);
    expect(got.find((m) => m.item.name === 'openssl deb12u1')?.reason).toMatch(/dpkg ordering/);
    expect(got.find((m) => m.item.name === 'log4j rc')?.reason).toMatch(/maven ordering/);
  });
});
