// Matching benchmark (`npm run bench -- match`): seeded synthetic advisories × inventory items at
// 10,000 × 10,000 and 20,000 × 20,000 through the index, and a naive nested loop (every advisory
// against every item, same matchers) at a small size. Results in bench/RESULTS.md.
import { buildAliasTable, buildInventoryIndex, matchAdvisory, type InventoryIndex } from '../src/match/index.js';
import type { Advisory, AffectedProduct } from '../src/model/advisory.js';
import type { InventoryItem } from '../src/model/inventory.js';
import type { ApplyByPolicy } from '../src/normalize/apply-by.js';

const policy: ApplyByPolicy = { rules: ['msrc-classic', 'kev'], clockStart: 'release' };

/** mulberry32: a small seeded PRNG, so every run matches the same data. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const VERBS = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet', 'kilo', 'lima'];

/**
 * n advisories and n items over a vocabulary of n/4 packages, n/8 CPE products and n/8 named
 * products, so each name is shared by a handful of advisories and items at every size: the
 * candidate pairs grow linearly with n while advisories × items grows with n².
 */
export function generate(n: number, seed = 42): { advisories: Advisory[]; items: InventoryItem[] } {
  const rnd = prng(seed);
  const pick = (k: number): number => Math.floor(rnd() * k);
  const word = (i: number): string => `${VERBS[i % VERBS.length]}${Math.floor(i / VERBS.length)}`;
  const packages = Math.max(1, Math.floor(n / 4));
  const cpes = Math.max(1, Math.floor(n / 8));
  const names = Math.max(1, Math.floor(n / 8));
  const ver = (): string => `${1 + pick(3)}.${pick(10)}.${pick(10)}`;
  const items: InventoryItem[] = [];
  for (let i = 0; i < n; i++) {
    const kind = pick(3);
    const base = { name: `item-${i}`, instances: 1 + pick(50), collection: `c${pick(20)}`, exposed: rnd() < 0.2 };
    if (kind === 0) items.push({ ...base, purl: `pkg:npm/${word(pick(packages))}@${ver()}` });
    else if (kind === 1) items.push({ ...base, cpe: `cpe:2.3:a:vendor${pick(cpes) % 97}:product${pick(cpes)}:*:*:*:*:*:*:*:*`, version: ver() });
    else {
      const w = pick(names);
      items.push({ ...base, vendor: `Vendor ${w % 89}`, product: `Product ${word(w)} Server`, version: ver() });
    }
  }
  const advisories: Advisory[] = [];
  for (let i = 0; i < n; i++) {
    const products: AffectedProduct[] = [];
    for (let p = 0, count = 1 + pick(3); p < count; p++) {
      const kind = pick(3);
      if (kind === 0) {
        products.push({
          product: word(pick(packages)),
          ecosystem: 'npm',
          osvRanges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: ver() }] }],
        });
      } else if (kind === 1) {
        const c = pick(cpes);
        products.push({ vendor: `vendor${c % 97}`, product: `product${c}`, cpe: `cpe:2.3:a:vendor${c % 97}:product${c}:*:*:*:*:*:*:*:*`, ranges: [`<${ver()}`] });
      } else {
        const w = pick(names);
        products.push({ vendor: `Vendor ${w % 89}`, product: `Product ${word(w)} Server (Server Core installation)`, fixed: [ver()] });
      }
    }
    advisories.push({
      id: `bench-${i}`,
      kind: 'advisory',
      source: { kind: 'osv' },
      title: `Synthetic advisory ${i}`,
      published: '2025-01-01T00:00:00.000Z',
      modified: '2025-01-01T00:00:00.000Z',
      cvss: [],
      cves: [],
      aliases: [],
      exploited: {},
      products,
      remediation: {},
      signature: { status: 'unsigned' },
      revision: 1,
      severity: (['critical', 'important', 'moderate', 'low'] as const)[pick(4)]!,
      severitySource: 'vendor',
    });
  }
  return { advisories, items };
}

/** The index, counting every item its lookups hand to a matcher: the candidate pairs. */
function counting(index: InventoryIndex): { index: InventoryIndex; pairs: () => number } {
  let n = 0;
  const count = <T>(list: readonly T[]): readonly T[] => {
    n += list.length;
    return list;
  };
  return {
    index: {
      ...index,
      byProductPrefix: (p) => count(index.byProductPrefix(p)),
      byProduct: (p) => count(index.byProduct(p)),
      byPackage: (k) => count(index.byPackage(k)),
      byCpe: (k) => count(index.byCpe(k)),
    },
    pairs: () => n,
  };
}

interface Run {
  readonly ms: number;
  readonly candidates: number;
  readonly matches: number;
  readonly keys: Set<string>;
}

function indexed(advisories: Advisory[], items: InventoryItem[]): Run {
  const started = performance.now();
  const { index, pairs } = counting(buildInventoryIndex(items, buildAliasTable({})));
  const keys = new Set<string>();
  let matches = 0;
  for (const a of advisories) {
    for (const m of matchAdvisory(a, index, policy)) {
      matches++;
      keys.add(`${a.id} ${m.item.name} ${m.confidence}`);
    }
  }
  return { ms: performance.now() - started, candidates: pairs(), matches, keys };
}

/** The nested loop: each advisory against each item on its own (a one-item index per item). */
function naive(advisories: Advisory[], items: InventoryItem[]): Run {
  const started = performance.now();
  const aliases = buildAliasTable({});
  const single = items.map((it) => buildInventoryIndex([it], aliases));
  const keys = new Set<string>();
  let matches = 0;
  for (const a of advisories) {
    for (const idx of single) {
      for (const m of matchAdvisory(a, idx, policy)) {
        matches++;
        keys.add(`${a.id} ${m.item.name} ${m.confidence}`);
      }
    }
  }
  return { ms: performance.now() - started, candidates: advisories.length * items.length, matches, keys };
}

export async function runMatchBench(): Promise<void> {
  await Promise.resolve();
  console.log(`\nmatch: node ${process.version}; seeded synthetic data (seed 42); time includes building the index, not generating the data`);
  const small = generate(1_000);
  const loop = naive(small.advisories, small.items);
  const idxSmall = indexed(small.advisories, small.items);
  const same = loop.keys.size === idxSmall.keys.size && [...loop.keys].every((k) => idxSmall.keys.has(k));
  const line = (label: string, r: Run): string =>
    `${label.padEnd(34)} ${r.ms.toFixed(0).padStart(7)} ms  candidate pairs ${String(r.candidates).padStart(11)}  matches ${String(r.matches).padStart(7)}`;
  console.log(line('naive nested loop 1,000 × 1,000', loop));
  console.log(line('indexed 1,000 × 1,000', idxSmall));
  console.log(`  same matches from both: ${same ? 'yes' : 'NO'}; nested loop / indexed: ${(loop.ms / idxSmall.ms).toFixed(1)}×`);
  const median = (data: ReturnType<typeof generate>): Run => {
    indexed(data.advisories, data.items); // warm-up
    const runs = [0, 1, 2].map(() => indexed(data.advisories, data.items)).sort((x, y) => x.ms - y.ms);
    return runs[1]!;
  };
  const r10 = median(generate(10_000));
  console.log(line('indexed 10,000 × 10,000 (median of 3)', r10));
  const r20 = median(generate(20_000));
  console.log(line('indexed 20,000 × 20,000 (median of 3)', r20));
  console.log(
    `  10k → 20k: advisories × items ×4.0, candidate pairs ×${(r20.candidates / r10.candidates).toFixed(2)}, time ×${(r20.ms / r10.ms).toFixed(2)}`,
  );
}
