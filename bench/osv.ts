// OSV normalise (kept from the first parser bench; no target in issue 10): 500 go-vulndb records
// as one JSON array through our parser + normalizeAdvisory, beside decode + JSON.parse.
import type { Benchmark } from './lib/benchmark.js';
import { compareMs, corpusFile, RUNS } from './lib/measure.js';
import { normaliseDocument } from './lib/normalise.js';
import { cpuRow } from './lib/rows.js';

const osv: Benchmark = {
  name: 'osv',
  describe: `OSV: go-vulndb GO-2024-2687 × 500 as one array: parse + normalise vs JSON.parse, median of ${RUNS}`,
  async run() {
    const one = corpusFile('osv/go-vulndb/GO-2024-2687.json').toString('utf8');
    const body = new TextEncoder().encode(`[${Array.from({ length: 500 }, () => one).join(',')}]`);
    const advisories = await normaliseDocument('osv', body);
    const t = await compareMs(
      () => JSON.parse(new TextDecoder().decode(body)),
      () => normaliseDocument('osv', body),
    );
    return [cpuRow(`go-vulndb record × 500 (${(body.length / 1e6).toFixed(1)} MB) → ${advisories.length} advisories`, 'decode + JSON.parse', t)];
  },
};

export default osv;
