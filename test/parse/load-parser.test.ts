import { describe, expect, it } from 'vitest';
import { parsers } from '../../src/parse/index.js';
import { loadParser, PARSER_FORMATS } from '../../src/parse/load-parser.js';

// `secwatch parse` imports one parser on demand (src/parse/load-parser.ts); it must be the very
// parser ingest uses for that format, for every format.
describe('loadParser', () => {
  it('loads, for every format, the same function as the parsers table', async () => {
    expect([...PARSER_FORMATS].sort()).toStrictEqual(Object.keys(parsers).sort());
    for (const format of PARSER_FORMATS) expect(await loadParser(format)).toBe(parsers[format]);
  });
});
