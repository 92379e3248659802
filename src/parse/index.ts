import { parseKev } from './kev/to-advisory.js';
import type { DocumentFormat, Parser } from './parser.js';
import { parseRss } from './rss/to-advisory.js';
import { parseCvrf } from './cvrf/to-advisory.js';
import { parseOsv } from './osv/to-advisory.js';
import { parseCsaf } from './csaf/to-advisory.js';
import { parseHtml } from './html/to-advisory.js';
import { parseAdvance } from './advance/to-advisory.js';
import { parseMbox } from './mbox/to-advisory.js';

export type { DocumentFormat, ParseOptions, Parser } from './parser.js';
export { parseKev, parseRss };
export { parseCvrf, parseOsv };
export { parseCsaf };
export { parseHtml, parseAdvance };

/** Every format has exactly one parser; the compiler flags a format added without one. */
export const parsers = {
  kev: parseKev,
  rss: parseRss,
  cvrf: parseCvrf,
  osv: parseOsv,
  csaf: parseCsaf,
  html: parseHtml,
  advance: parseAdvance,
  mbox: parseMbox,
} satisfies Record<DocumentFormat, Parser>;

export { detectFormat } from './detect.js';
