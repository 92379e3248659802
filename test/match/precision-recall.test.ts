import { afterAll, describe, expect, it } from 'vitest';
import { buildAliasTable, buildInventoryIndex, matchAdvisory } from '../../src/match/index.js';
import type { Advisory } from '../../src/model/advisory.js';
import type { InventoryItem } from '../../src/model/inventory.js';
import type { ApplyByPolicy } from '../../src/normalize/apply-by.js';
import { normalizeAdvisory } from '../../src/normalize/normalize.js';
import { parsers } from '../../src/parse/index.js';
import type { SourceKind } from '../../src/model/advisory.js';
import { corpus, corpusDocument } from '../helpers/corpus.js';
import { CSAF_EXPECTED, CSAF_INVENTORY, KEV_INVENTORY, OSV_EXPECTED, OSV_INVENTORY } from './corpus-labels.js';
import { cvrfFacts, WINDOWS_INVENTORY } from './msrc-oracle.js';

// The whole corpus against inventories written for it, with labelled expected (advisory, item)
// pairs: precision = right matches / all matches, recall = right matches / all expected pairs.
// The table is printed; thresholds below are what the matchers must keep.

const policy: ApplyByPolicy = { rules: ['msrc-classic', 'kev'], clockStart: 'release' };

interface Score {
  readonly part: string;
  readonly expected: number;
  readonly matched: number;
  readonly truePositives: number;
  readonly falsePositives: string[];
  readonly missed: string[];
}
const scores: Score[] = [];

async function advisories(rel: string, kind: SourceKind): Promise<Advisory[]> {
  return (await parsers[kind](corpusDocument(rel, { sourceId: kind, sourceKind: kind }))).map((p) => normalizeAdvisory(p));
}

function score(part: string, expected: Set<string>, matched: Set<string>): Score {
  const tp = [...matched].filter((p) => expected.has(p)).length;
  const s = {
    part,
    expected: expected.size,
    matched: matched.size,
    truePositives: tp,
    falsePositives: [...matched].filter((p) => !expected.has(p)).sort(),
    missed: [...expected].filter((p) => !matched.has(p)).sort(),
  };
  scores.push(s);
  return s;
}

const precision = (s: Pick<Score, 'truePositives' | 'matched'>): number => (s.matched === 0 ? 1 : s.truePositives / s.matched);
const recall = (s: Pick<Score, 'truePositives' | 'expected'>): number => (s.expected === 0 ? 1 : s.truePositives / s.expected);

function pairsOf(list: Advisory[], inventory: readonly InventoryItem[], key: (a: Advisory) => string, aliases: Record<string, string[]> = {}): Set<string> {
  const index = buildInventoryIndex(inventory, buildAliasTable(aliases));
  return new Set(list.flatMap((a) => matchAdvisory(a, index, policy).map((m) => `${key(a)} ${m.item.name}`)));
}

afterAll(() => {
  const total = scores.reduce((t, s) => ({ expected: t.expected + s.expected, matched: t.matched + s.matched, truePositives: t.truePositives + s.truePositives }), {
    expected: 0,
    matched: 0,
    truePositives: 0,
  });
  const row = (part: string, s: { expected: number; matched: number; truePositives: number }): string =>
    `${part.padEnd(8)} ${String(s.expected).padStart(8)} ${String(s.matched).padStart(8)} ${String(s.truePositives).padStart(6)} ${precision(s).toFixed(3).padStart(9)} ${recall(s).toFixed(3).padStart(7)}`;
  const lines = ['part     expected  matched     tp precision  recall', ...scores.map((s) => row(s.part, s)), row('all', total)];
  for (const s of scores) {
    if (s.falsePositives.length > 0) lines.push(`${s.part} false positives (${s.falsePositives.length}): ${s.falsePositives.slice(0, 8).join(', ')}${s.falsePositives.length > 8 ? ', …' : ''}`);
    if (s.missed.length > 0) lines.push(`${s.part} missed (${s.missed.length}): ${s.missed.slice(0, 8).join(', ')}${s.missed.length > 8 ? ', …' : ''}`);
  }
  console.log(`\nmatching precision and recall on the corpus\n${lines.join('\n')}\n`);
});

describe('precision and recall of matching on the corpus', () => {
  it('OSV records against package items at vulnerable, fixed and boundary versions', async () => {
    const expected = new Set<string>();
    const matched = new Set<string>();
    for (const [rel, pairs] of Object.entries(OSV_EXPECTED)) {
      for (const [item] of pairs) expected.add(`${rel} ${item}`);
      for (const p of pairsOf(await advisories(`osv/${rel}`, 'osv'), OSV_INVENTORY, () => rel)) matched.add(p);
    }
    const s = score('osv', expected, matched);
    expect(precision(s)).toBe(1);
    expect(recall(s)).toBe(1);
  });

  it('CSAF documents against items by purl, CPE and vendor/product with version ranges', async () => {
    const expected = new Set<string>();
    const matched = new Set<string>();
    for (const [rel, items] of Object.entries(CSAF_EXPECTED)) {
      for (const item of items) expected.add(`${rel} ${item}`);
      for (const p of pairsOf(await advisories(rel, 'csaf'), CSAF_INVENTORY, () => rel)) matched.add(p);
    }
    const s = score('csaf', expected, matched);
    expect(precision(s)).toBeGreaterThanOrEqual(0.95);
    expect(recall(s)).toBeGreaterThanOrEqual(0.95);
  });

  it('MSRC months against a Windows inventory by product name', async () => {
    const expected = new Set<string>();
    const matched = new Set<string>();
    for (const rel of ['msrc/cvrf-2017-Mar.xml', 'msrc/cvrf-2023-Jan.xml', 'msrc/cvrf-2025-Jan.xml']) {
      for (const [cve, items] of cvrfFacts(rel, WINDOWS_INVENTORY).affected) for (const i of items) expected.add(`${cve} ${i}`);
      for (const p of pairsOf(await advisories(rel, 'cvrf'), WINDOWS_INVENTORY, (a) => a.cves[0] ?? a.id)) matched.add(p);
    }
    const s = score('msrc', expected, matched);
    expect(precision(s)).toBeGreaterThanOrEqual(0.98);
    expect(recall(s)).toBeGreaterThanOrEqual(0.98);
  });

  it('the KEV catalog against vendor/product names', async () => {
    const rel = 'kev/known_exploited_vulnerabilities.2025-08-25.json';
    const catalog = JSON.parse(corpus(rel).toString('utf8')) as { vulnerabilities: { cveID: string; vendorProject: string; product: string }[] };
    const expected = new Set<string>();
    for (const v of catalog.vulnerabilities) {
      for (const item of KEV_INVENTORY) if (item.concernedBy.test(`${v.vendorProject}|${v.product}`)) expected.add(`${v.cveID} ${item.name}`);
    }
    const list = await advisories(rel, 'kev');
    const matched = pairsOf(list, KEV_INVENTORY, (a) => a.cves[0] ?? a.id, { chromium: ['chrome'] });
    const s = score('kev', expected, matched);
    expect(expected.size).toBeGreaterThan(250);
    expect(precision(s)).toBeGreaterThanOrEqual(0.95);
    expect(recall(s)).toBeGreaterThanOrEqual(0.75);
  });
});
