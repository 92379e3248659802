import { readFile } from 'node:fs/promises';
import { ParseError, describeError } from '../../errors.js';
import { normalizeAdvisory } from '../../normalize/normalize.js';
import { detectFormat } from '../../parse/detect.js';
import { loadParser, PARSER_FORMATS } from '../../parse/load-parser.js';
import type { DocumentFormat } from '../../parse/parser.js';
import { CliFailure } from '../failure.js';
import type { HtmlPageSpec } from '../../parse/html/index.js';

export interface ParseCommandOptions {
  readonly format: 'auto' | DocumentFormat;
  readonly sourceId?: string;
  readonly vendor?: string;
  /** With keys the signature is checked (FILE.asc and hash files beside FILE); without, it is "not-checked". */
  readonly keys?: readonly string[];
  /** html: the config whose html source (--source-id, or the only one) gives the selectors. */
  readonly config?: string;
}

/** `secwatch parse FILE`: one normalised advisory per line on stdout (the DESIGN.md contract). */
export async function parseCommand(file: string, options: ParseCommandOptions): Promise<number> {
  let body: Buffer;
  try {
    body = await readFile(file);
  } catch (err) {
    throw new CliFailure(2, `${file}: cannot read: ${describeError(err)}`);
  }
  const format = options.format === 'auto' ? detectFormat(body) : options.format;
  // Archives: each message its own advisory, signature and error (src/cli/commands/parse-mbox.ts).
  // Imported on use: mail parsing and OpenPGP are most of a cold start, and most files need neither.
  if (format === 'mbox') return (await import('./parse-mbox.js')).parseMboxFile(file, body, options);
  if (!format) throw new CliFailure(2, `${file}: cannot tell the format; pass --format ${PARSER_FORMATS.join('|')}`);
  const html = format === 'html' && options.config ? await htmlSourceOf(options.config, options.sourceId) : undefined;
  try {
    const parse = await loadParser(format);
    const parsed = await parse(
      { sourceId: options.sourceId ?? html?.id ?? format, sourceKind: format, url: file, body, fetchedAt: new Date(0) },
      options.vendor ? { vendor: options.vendor } : html ? { html: html.spec } : {},
    );
    const signature = options.keys && options.keys.length > 0 ? await (await import('./verify.js')).signatureOfFile(file, body, options.keys) : undefined;
    const out = parsed.map((p) => JSON.stringify(normalizeAdvisory(signature ? { ...p, signature } : p))).join('\n');
    process.stdout.write(out ? `${out}\n` : '');
    return 0;
  } catch (err) {
    if (err instanceof ParseError) throw new CliFailure(2, `${file}: ${err.message}`);
    throw err;
  }
}

/** The html source of a config that `parse --format html --config` reads selectors from. */
async function htmlSourceOf(configFile: string, sourceId: string | undefined): Promise<{ id: string; spec: HtmlPageSpec }> {
  // Imported here: only `--format html --config` needs the config loader (cold start of `parse`).
  const [{ loadConfigFile }, { htmlPageSpec }] = await Promise.all([import('../../config/load.js'), import('../../sources/html/index.js')]);
  const sources = loadConfigFile(configFile).sources.filter((s) => s.kind === 'html' && (sourceId === undefined || s.id === sourceId));
  const source = sources[0];
  if (!source || sources.length > 1) {
    throw new CliFailure(2, `${configFile}: ${sources.length > 1 ? 'several html sources; pass --source-id' : `no html source${sourceId ? ` with id "${sourceId}"` : ''}`}`);
  }
  return { id: source.id, spec: htmlPageSpec(source) ?? {} };
}
