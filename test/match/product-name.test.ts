import { describe, expect, it } from 'vitest';
import { buildAliasTable, buildInventoryIndex, matchAdvisory } from '../../src/match/index.js';
import type { InventoryItem } from '../../src/model/inventory.js';
import type { ApplyByPolicy } from '../../src/normalize/apply-by.js';
import { makeAdvisory } from '../helpers/advisory-factory.js';

const policy: ApplyByPolicy = { rules: ['msrc-classic', 'kev'], clockStart: 'release' };
const item = (over: Partial<InventoryItem> & { name: string }): InventoryItem => ({ instances: 1, collection: 'test', ...over });

const inventory: InventoryItem[] = [
  item({ name: 'exchange', vendor: 'Microsoft Corporation', product: 'Exchange Server 2019', version: 'CU14' }),
  item({ name: 'git', vendor: 'Git', product: 'git', testsFirst: true }),
  item({ name: 'session-rec', vendor: 'Citrix', product: 'Session-Recording' }),
  item({ name: 'no-vendor chromium', product: 'Chromium' }),
  item({ name: 'windows', vendor: 'Microsoft', product: 'Windows' }),
];
const index = buildInventoryIndex(inventory, buildAliasTable({ microsoft: ['Microsoft Corporation', 'MSFT'] }));

describe('product-name matcher', () => {
  it('matches case- and punctuation-insensitively with vendor confirmed → high', () => {
    const a = makeAdvisory({ products: [{ vendor: 'CITRIX', product: 'Session Recording' }] });
    const [m, ...rest] = matchAdvisory(a, index, policy);
    expect(rest).toHaveLength(0);
    expect(m).toMatchObject({ advisoryId: a.id, confidence: 'high', item: { name: 'session-rec' } });
    expect(m?.reason).toMatch(/product-name: advisory names CITRIX Session Recording/);
  });

  it('resolves vendor aliases and lets a broad advisory product cover a specific edition', () => {
    const a = makeAdvisory({ products: [{ vendor: 'MSFT', product: 'Exchange Server' }] });
    const matches = matchAdvisory(a, index, policy);
    expect(matches.map((m) => [m.item.name, m.confidence])).toEqual([['exchange', 'medium']]);
    expect(matches[0]?.reason).toMatch(/version CU14 not compared/);
  });

  it('matches a specific edition in the advisory to a generic inventory entry, with low confidence', () => {
    const a = makeAdvisory({ products: [{ vendor: 'Microsoft', product: 'Windows Server 2019' }] });
    expect(matchAdvisory(a, index, policy).map((m) => [m.item.name, m.confidence])).toEqual([['windows', 'low']]);
  });

  it('does not match when the vendors differ', () => {
    const a = makeAdvisory({ products: [{ vendor: 'Google', product: 'Windows' }] });
    expect(matchAdvisory(a, index, policy)).toEqual([]);
  });

  it('matches an exact product without a vendor on one side at medium confidence, but no partial names', () => {
    const exact = makeAdvisory({ products: [{ vendor: 'Google', product: 'chromium' }] });
    expect(matchAdvisory(exact, index, policy).map((m) => [m.item.name, m.confidence])).toEqual([['no-vendor chromium', 'medium']]);
    const partial = makeAdvisory({ products: [{ vendor: 'Google', product: 'Chromium V8' }] });
    expect(matchAdvisory(partial, index, policy)).toEqual([]);
  });

  it("gives each match the item's own apply-by (tested-first window for testsFirst items)", () => {
    const a = makeAdvisory({ severity: 'critical', published: '2025-03-01T00:00:00.000Z', products: [{ vendor: 'Git', product: 'Git' }] });
    const [m] = matchAdvisory(a, index, policy);
    expect(m).toMatchObject({ applyBy: '2025-03-15', applyByRule: expect.stringMatching(/tested first: 2 weeks/) as unknown });
  });

  it('reports one match per item even when several products hit it', () => {
    const a = makeAdvisory({ products: [{ vendor: 'Git', product: 'Git' }, { vendor: 'git', product: 'GIT' }] });
    expect(matchAdvisory(a, index, policy)).toHaveLength(1);
  });
});
