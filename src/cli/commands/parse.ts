import { readFile } from 'node:fs/promises';
import { ParseError, describeError } from '../../errors.js';
import { normalizeAdvisory } from '../../normalize/normalize.js';
import { detectFormat, parsers } from '../../parse/index.js';
import type { DocumentFormat } from '../../parse/parser.js';
import { CliFailure } from '../failure.js';
import { signatureOfFile } from './verify.js';

export interface ParseCommandOptions {
  readonly format: 'auto' | DocumentFormat;
  readonly sourceId?: string;
  readonly vendor?: string;
  /** With keys the signature is checked (FILE.asc and hash files beside FILE); without, it is "not-checked". */
  readonly keys?: readonly string[];
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
  if (!format) throw new CliFailure(2, `${file}: cannot tell the format; pass --format ${Object.keys(parsers).join('|')}`);
  try {
    const parsed = await parsers[format](
      { sourceId: options.sourceId ?? format, sourceKind: format, url: file, body, fetchedAt: new Date(0) },
      options.vendor ? { vendor: options.vendor } : {},
    );
    const signature = options.keys && options.keys.length > 0 ? await signatureOfFile(file, body, options.keys) : undefined;
    const out = parsed.map((p) => JSON.stringify(normalizeAdvisory(signature ? { ...p, signature } : p))).join('\n');
    process.stdout.write(out ? `${out}\n` : '');
    return 0;
  } catch (err) {
    if (err instanceof ParseError) throw new CliFailure(2, `${file}: ${err.message}`);
    throw err;
  }
}
