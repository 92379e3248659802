// Child process for the cvrf benchmark's peak-RSS row: `node --import tsx bench/lib/cvrf-peak-rss.ts
// ours|baseline FILE` reads FILE once (ours: parse + normalise; baseline: bare htmlparser2 parse)
// and prints its own peak RSS in bytes. A child of its own, so nothing else in the run counts.
import { readFileSync } from 'node:fs';
import { Parser } from 'htmlparser2';
import { normaliseDocument } from './normalise.js';

const [mode, file] = process.argv.slice(2);
if ((mode !== 'ours' && mode !== 'baseline') || file === undefined) {
  process.stderr.write('usage: cvrf-peak-rss.ts ours|baseline FILE\n');
  process.exit(2);
}
const body = readFileSync(file);
if (mode === 'ours') await normaliseDocument('cvrf', body);
else new Parser({}, { xmlMode: true }).end(new TextDecoder().decode(body));
// maxRSS is in kilobytes (getrusage).
process.stdout.write(`${process.resourceUsage().maxRSS * 1024}\n`);
