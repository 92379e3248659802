// Before/after in one process: the old tree reader (this folder) against the streaming reader, both
// in place (no worker thread), beside a bare htmlparser2 parse, CPU time as bench/cvrf.ts measures
// it (median of N, interleaved). Not a test; run by hand:
//   node --import tsx test/parse/cvrf-oracle/speed.ts [FILE] [RUNS]
import { readFileSync } from 'node:fs';
import { Parser } from 'htmlparser2';
import { normalizeAdvisory } from '../../../src/normalize/index.js';
import { cvrfToAdvisories, parseCvrf } from '../../../src/parse/cvrf/to-advisory.js';
import { cvrfToAdvisories as oldCvrfToAdvisories } from './to-advisory.js';

const file = process.argv[2] || new URL('../../fixtures/corpus/msrc/cvrf-2025-Jan.xml', import.meta.url).pathname;
const runs = Number(process.argv[3] ?? 11);
const body = readFileSync(file);
const doc = { sourceId: 'speed', sourceKind: 'cvrf' as const, url: 'speed:cvrf', body, fetchedAt: new Date(0) };
const sides: Record<string, () => unknown> = {
  'bare htmlparser2 parse': () => new Parser({}, { xmlMode: true }).end(new TextDecoder().decode(body)),
  'old tree reader, in place': () => oldCvrfToAdvisories(doc).map((p) => normalizeAdvisory(p, {})),
  'streaming reader, in place': () => cvrfToAdvisories(doc).map((p) => normalizeAdvisory(p, {})),
  'streaming reader, parseCvrf (thread when ≥ 512 KB)': async () => (await parseCvrf(doc)).map((p) => normalizeAdvisory(p, {})),
};
const cpu: Record<string, number[]> = {};
for (const [name, run] of Object.entries(sides)) {
  await run();
  cpu[name] = [];
}
for (let i = 0; i < runs; i++) {
  for (const [name, run] of Object.entries(sides)) {
    const before = process.cpuUsage();
    await run();
    const used = process.cpuUsage(before);
    cpu[name]!.push((used.user + used.system) / 1000);
  }
}
const median = (v: number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
const bare = median(cpu['bare htmlparser2 parse']!);
for (const [name, samples] of Object.entries(cpu)) {
  process.stdout.write(`${name.padEnd(52)} ${median(samples).toFixed(1).padStart(6)} ms CPU  ${(median(samples) / bare).toFixed(2)}×\n`);
}
process.exit(0);
