import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { buildAliasTable, buildInventoryIndex, matchAdvisory } from '../../src/match/index.js';
import type { InventoryItem } from '../../src/model/inventory.js';
import type { ApplyByPolicy } from '../../src/normalize/apply-by.js';
import { makeAdvisory } from '../helpers/advisory-factory.js';

const policy: ApplyByPolicy = { rules: ['msrc-classic'], clockStart: 'release' };
const item = (name: string, collection: string, over: Partial<InventoryItem> = {}): InventoryItem => ({ name, collection, instances: 1, ...over });
const inventory = [
  item('badge reader', 'facilities'),
  item('hvac controller', 'facilities'),
  item('payroll', 'finance'),
  item('gitlab', 'dev', { vendor: 'GitLab', product: 'GitLab', purl: 'pkg:generic/gitlab@17.0.0' }),
];
const rules = [
  { pattern: 'Acme\\s+Door(Control)?', item: 'badge reader' },
  { pattern: 'BACnet', collection: 'facilities' },
  { pattern: 'GitLab', item: 'gitlab' },
];
const index = buildInventoryIndex(inventory, buildAliasTable({}), { keywords: rules });

describe('operator keyword rules', () => {
  it('hits the item a rule names when its pattern is in the title, at low confidence, naming the rule', () => {
    const a = makeAdvisory({ title: 'ICS advisory: ACME doorcontrol firmware lets anyone in', products: [] });
    const [m, ...rest] = matchAdvisory(a, index, policy);
    expect(rest).toEqual([]);
    expect(m).toMatchObject({ item: { name: 'badge reader' }, confidence: 'low' });
    expect(m?.reason).toMatch(/^keyword: keyword rule #1 \/Acme\\s\+Door\(Control\)\?\/ \(for badge reader\) found in the title "ICS advisory: ACME doorcontrol/);
  });

  it('hits every item of a collection from the summary', () => {
    const a = makeAdvisory({ title: 'Building automation flaw', summary: 'A BACnet stack overflow in many controllers.', products: [] });
    expect(matchAdvisory(a, index, policy).map((m) => m.item.name).sort()).toEqual(['badge reader', 'hvac controller']);
  });

  it('gives way to product data: a stronger matcher hit wins, and nothing matches without the words', () => {
    const a = makeAdvisory({ title: 'GitLab critical release', products: [{ vendor: 'GitLab', product: 'GitLab' }] });
    expect(matchAdvisory(a, index, policy).map((m) => [m.item.name, m.reason.split(':')[0]])).toEqual([['gitlab', 'product-name']]);
    expect(matchAdvisory(makeAdvisory({ title: 'Nothing to see', summary: 'quiet', products: [] }), index, policy)).toEqual([]);
  });

  it('is configured under matching.keywords; a bad pattern or a rule naming nothing is refused', () => {
    expect(configSchema.parse({ matching: { keywords: rules } }).matching.keywords).toHaveLength(3);
    expect(configSchema.parse({}).matching.keywords).toEqual([]);
    const bad = configSchema.safeParse({ matching: { keywords: [{ pattern: '(', item: 'x' }, { pattern: 'x' }] } });
    expect(bad.success).toBe(false);
    const messages = bad.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];
    expect(messages).toEqual(
      expect.arrayContaining([expect.stringMatching(/keywords\.0\.pattern: must be a valid regular expression/), expect.stringMatching(/keywords\.1: names no item and no collection/)]),
    );
  });
});
