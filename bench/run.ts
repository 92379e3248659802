// Benchmarks (`npm run bench`, or `npm run bench -- parse` / `npm run bench -- match` for one):
// parsers on the largest real documents, matching on seeded synthetic data; results in bench/RESULTS.md.
import { readFileSync } from 'node:fs';
import { Parser as XmlTokenizer } from 'htmlparser2';
import type { SourceKind } from '../src/model/advisory.js';
import type { RawDocument } from '../src/model/raw-document.js';
import { parsers } from '../src/parse/index.js';

const CORPUS = new URL('../test/fixtures/corpus/', import.meta.url);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);

interface Case {
  readonly name: string;
  readonly format: SourceKind;
  readonly body: () => Uint8Array;
}

/**
 * The baseline beside each parser: the least any parser must do to read the document at all —
 * decode + JSON.parse for JSON, decode + tokenise (no tree, no handlers) for XML. The ratio says
 * how much our validation and mapping cost on top.
 */
const baselines: Partial<Record<SourceKind, { readonly name: string; run(body: Uint8Array): void }>> = {
  kev: { name: 'JSON.parse', run: (b) => void JSON.parse(new TextDecoder().decode(b)) },
  osv: { name: 'JSON.parse', run: (b) => void JSON.parse(new TextDecoder().decode(b)) },
  cvrf: {
    name: 'htmlparser2 tokenise',
    run: (b) => {
      const tokenizer = new XmlTokenizer({}, { xmlMode: true });
      tokenizer.end(new TextDecoder().decode(b));
    },
  },
};

async function medianMs(fn: () => unknown): Promise<{ median: number; max: number }> {
  await fn(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await fn();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)]!, max: times.at(-1)! };
}

const file = (rel: string) => (): Uint8Array => readFileSync(new URL(rel, CORPUS));

const cases: readonly Case[] = [
  { name: 'cvrf 2025-Jan (6.8 MB, 343 CVEs)', format: 'cvrf', body: file('msrc/cvrf-2025-Jan.xml') },
  { name: 'cvrf 2023-Jan (3.2 MB, 204 CVEs)', format: 'cvrf', body: file('msrc/cvrf-2023-Jan.xml') },
  { name: 'cvrf 2017-Mar (2.6 MB, 155 CVEs)', format: 'cvrf', body: file('msrc/cvrf-2017-Mar.xml') },
  { name: 'kev 2025-08-25 (1.3 MB, 1404 entries)', format: 'kev', body: file('kev/known_exploited_vulnerabilities.2025-08-25.json') },
  {
    name: 'osv: go-vulndb records x 500 as one array',
    format: 'osv',
    body: () => {
      const one = readFileSync(new URL('osv/go-vulndb/GO-2024-2687.json', CORPUS), 'utf8');
      return new TextEncoder().encode(`[${Array.from({ length: 500 }, () => one).join(',')}]`);
    },
  },
];

async function main(): Promise<void> {
  console.log(`node ${process.version}, ${RUNS} runs after 1 warm-up; median and max in ms; ratio = ours / baseline (same run)`);
  for (const c of cases) {
    const body = c.body();
    const doc: RawDocument = { sourceId: 'bench', sourceKind: c.format, url: `bench:${c.name}`, body, fetchedAt: new Date(0) };
    const parse = parsers[c.format];
    const count = (await parse(doc)).length;
    const ours = await medianMs(() => parse(doc));
    const base = baselines[c.format];
    const b = base ? await medianMs(() => base.run(body)) : undefined;
    const ratio = b ? `  ${base!.name} ${b.median.toFixed(0).padStart(4)}  ratio ${(ours.median / b.median).toFixed(1)}x` : '';
    console.log(`${c.name.padEnd(44)} ${String(count).padStart(6)} advisories  median ${ours.median.toFixed(0).padStart(5)}  max ${ours.max.toFixed(0).padStart(5)}${ratio}`);
  }
}

const only = process.argv.slice(2);
if (only.length === 0 || only.includes('parse')) await main();
if (only.length === 0 || only.includes('match')) await (await import('./match.js')).runMatchBench();
