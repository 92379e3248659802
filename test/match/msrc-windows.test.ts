import { describe, expect, it } from 'vitest';
import { buildAliasTable, buildInventoryIndex, matchAdvisory } from '../../src/match/index.js';
import type { ApplyByPolicy } from '../../src/normalize/apply-by.js';
import { normalizeAdvisory } from '../../src/normalize/normalize.js';
import { parsers } from '../../src/parse/index.js';
import { corpusDocument } from '../helpers/corpus.js';
import { cvrfFacts, WINDOWS_INVENTORY } from './msrc-oracle.js';

// The MSRC months against a Windows inventory, by product name: expectations come from the XML
// (msrc-oracle.ts), never from what the matcher printed.

const policy: ApplyByPolicy = { rules: ['msrc-classic', 'kev'], clockStart: 'release' };
const MONTHS = ['msrc/cvrf-2017-Mar.xml', 'msrc/cvrf-2023-Jan.xml', 'msrc/cvrf-2025-Jan.xml'];
const index = buildInventoryIndex(WINDOWS_INVENTORY, buildAliasTable({}));

async function matchedPairs(rel: string): Promise<{ pairs: Set<string>; reasons: Map<string, string> }> {
  const parsed = await parsers.cvrf(corpusDocument(rel, { sourceId: 'msrc', sourceKind: 'cvrf' }));
  const pairs = new Set<string>();
  const reasons = new Map<string, string>();
  for (const p of parsed) {
    const a = normalizeAdvisory(p);
    for (const m of matchAdvisory(a, index, policy)) {
      const cve = a.cves[0] ?? a.id;
      pairs.add(`${cve} ${m.item.name}`);
      reasons.set(`${cve} ${m.item.name}`, `${m.confidence} ${m.reason}`);
    }
  }
  return { pairs, reasons };
}

describe('MSRC CVRF months against a Windows inventory, by product name', () => {
  it.each(MONTHS)('%s: exactly the (CVE, machine) pairs the XML implies', async (rel) => {
    const facts = cvrfFacts(rel, WINDOWS_INVENTORY);
    const expected = new Set([...facts.affected].flatMap(([cve, items]) => [...items].map((i) => `${cve} ${i}`)));
    const { pairs } = await matchedPairs(rel);
    expect(expected.size).toBeGreaterThan(10); // the month really exercises the inventory
    expect([...pairs].filter((p) => !expected.has(p)).sort(), 'unexpected matches').toEqual([]);
    expect([...expected].filter((p) => !pairs.has(p)).sort(), 'missed matches').toEqual([]);
  });

  it('never lets Windows Server 2012 match a 2012 R2-only product, and names the qualifiers it ignored', async () => {
    const rel = 'msrc/cvrf-2025-Jan.xml';
    const { reasons } = await matchedPairs(rel);
    const only2012 = [...reasons.keys()].filter((k) => k.endsWith(' app-2012'));
    const facts = cvrfFacts(rel, WINDOWS_INVENTORY);
    for (const k of only2012) expect(facts.affected.get(k.split(' ')[0]!)?.has('app-2012')).toBe(true);
    const core = [...reasons].find(([k]) => k.endsWith(' dc-2012r2-old'))?.[1] ?? '';
    expect(core).toMatch(/^high product-name: advisory names Microsoft Windows Server 2012 R2/);
    expect(core).toMatch(/6\.3\.9600\.20000 is below the fixed version 6\.3\.9600\.22371/);
    const anyCore = [...reasons.values()].find((r) => r.includes('qualifiers not compared: Server Core installation'));
    expect(anyCore).toBeDefined();
    const unknown = [...reasons].find(([k]) => k.endsWith(' web-2019'))?.[1] ?? '';
    expect(unknown).toMatch(/^medium .*version unknown/);
  });
});
