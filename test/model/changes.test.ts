import { describe, expect, it } from 'vitest';
import { describeChange, describeChanges, materialChanges } from '../../src/model/changes.js';
import { makeAdvisory } from '../helpers/advisory-factory.js';
import { makeMatch } from '../helpers/alert-factory.js';

const base = makeAdvisory({ severity: 'moderate', cves: ['CVE-2024-0001'] });

describe('materialChanges', () => {
  it('finds nothing material in a reworded advisory with a typo fixed', () => {
    const next = {
      ...base,
      title: `${base.title.replace('Example', 'Exmaple')} (corrected)`,
      summary: 'Fixed a typo in the summary.',
      url: 'https://vendor.example/moved',
      modified: '2024-07-09T00:00:00.000Z',
      cvss: [{ version: '3.1', score: 9.8, vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }],
      remediation: { ...base.remediation, action: 'Upgrade to 2.4.1 (typo fixed).' },
      // A typo in the ranges, and the same product spelled with other spacing and case.
      products: base.products.map((p) => ({ ...p, product: ` ${p.product.toUpperCase()} `, ranges: ['<2.4.1'] })),
    };
    expect(materialChanges(base, next)).toEqual([]);
  });

  it('says the severity was raised, from which level to which', () => {
    const changes = materialChanges(base, { ...base, severity: 'critical' });
    expect(changes).toEqual([{ kind: 'severity-raised', from: 'moderate', to: 'critical' }]);
    expect(describeChange(changes[0]!)).toBe('severity raised from moderate to critical');
  });

  it('reports a KEV listing, new CVE, new product, new fix and a moved planned date together', () => {
    const next = {
      ...base,
      exploited: { kev: { dateAdded: '2024-07-10', dueDate: '2024-07-31', ransomware: false } },
      cves: [...base.cves, 'CVE-2024-0099'],
      products: [...base.products, { vendor: 'Example', product: 'Example Gateway', fixed: ['3.0.2'] }],
      remediation: { ...base.remediation, kbs: ['KB123456'] },
      plannedRelease: { date: '2024-07-16', maxSeverity: 'critical' as const },
    };
    const prev = { ...base, plannedRelease: { date: '2024-07-09', maxSeverity: 'critical' as const } };
    const text = describeChanges(materialChanges(prev, next));
    expect(text).toContain('added to CISA KEV on 2024-07-10 (due 2024-07-31)');
    expect(text).toContain('now also covers CVE-2024-0099');
    expect(text).toContain('new affected product: Example Gateway');
    expect(text).toContain('fix released: KB123456; fixed in 3.0.2');
    expect(text).toContain('planned release date moved from 2024-07-09 to 2024-07-16');
  });

  it('does not count a product, KB or KEV listing that went away', () => {
    const prev = { ...base, exploited: { kev: { dateAdded: '2024-07-10', dueDate: '2024-07-31', ransomware: false } }, remediation: { kbs: ['KB1', 'KB2'] } };
    expect(materialChanges(prev, { ...base, products: [], remediation: { kbs: ['KB1'] } })).toEqual([]);
  });

  it('keeps a product with the same CPE the same product whatever its name', () => {
    const withCpe = { ...base, products: [{ vendor: 'Example', product: 'Exmaple Server', cpe: 'cpe:2.3:a:example:server:*:*:*:*:*:*:*:*' }] };
    const renamed = { ...withCpe, products: [{ vendor: 'Example', product: 'Example Server', cpe: 'cpe:2.3:a:example:server:*:*:*:*:*:*:*:*' }] };
    expect(materialChanges(withCpe, renamed)).toEqual([]);
  });

  it('reports newly matched inventory items when given the matches', () => {
    const before = [makeMatch()];
    const after = [makeMatch(), makeMatch({ item: { ...makeMatch().item, name: 'Exchange 2016' } })];
    expect(materialChanges(base, base, { before, after })).toEqual([{ kind: 'match-added', items: ['Exchange 2016'] }]);
  });
});
