// One format's parser, imported on first use. The same functions as `parsers` (index.ts), for
// `secwatch parse`: importing every parser loads cheerio, undici, mailparser, xml2js… for a
// command that reads one document (bench/cold-start.ts).
import type { DocumentFormat, Parser } from './parser.js';

const loaders: Record<DocumentFormat, () => Promise<Parser>> = {
  kev: async () => (await import('./kev/to-advisory.js')).parseKev,
  rss: async () => (await import('./rss/to-advisory.js')).parseRss,
  cvrf: async () => (await import('./cvrf/to-advisory.js')).parseCvrf,
  osv: async () => (await import('./osv/to-advisory.js')).parseOsv,
  csaf: async () => (await import('./csaf/to-advisory.js')).parseCsaf,
  html: async () => (await import('./html/to-advisory.js')).parseHtml,
  advance: async () => (await import('./advance/to-advisory.js')).parseAdvance,
  mbox: async () => (await import('./mbox/to-advisory.js')).parseMbox,
};

/** Every format, in the order `--format` lists them. */
export const PARSER_FORMATS = Object.keys(loaders) as DocumentFormat[];

export function loadParser(format: DocumentFormat): Promise<Parser> {
  return loaders[format]();
}
