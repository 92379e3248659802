// KEV normalise: the 1,404-entry CISA KEV catalog (copy in test/fixtures/corpus/kev) through our
// parser + normalizeAdvisory, beside decode + JSON.parse of the same bytes. Target ≤ 3× (issue 10).
import type { Benchmark } from './lib/benchmark.js';
import { compareMs, corpusFile, RUNS } from './lib/measure.js';
import { normaliseDocument } from './lib/normalise.js';
import { cpuRow } from './lib/rows.js';

const FILE = 'kev/known_exploited_vulnerabilities.2025-08-25.json';
/** A run takes ~10 ms: more of them for a steadier median. */
const KEV_RUNS = RUNS * 3;

const kev: Benchmark = {
  name: 'kev',
  describe: `KEV catalog 2025-08-25 (1.3 MB, 1,404 entries): parse + normalise vs JSON.parse, median of ${KEV_RUNS}`,
  async run() {
    const body = corpusFile(FILE);
    const advisories = await normaliseDocument('kev', body);
    const t = await compareMs(
      () => JSON.parse(new TextDecoder().decode(body)),
      () => normaliseDocument('kev', body),
      KEV_RUNS,
    );
    return [cpuRow(`${FILE} → ${advisories.length} advisories`, 'decode + JSON.parse', t, { text: '≤ 3×', limit: 3 })];
  },
};

export default kev;
