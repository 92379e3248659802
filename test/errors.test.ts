import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AppError, ConfigError, ERROR_CODES, FetchError, ParseError } from '../src/errors.js';

describe('error catalogue', () => {
  it('has unique, upper-snake codes, each with a description', () => {
    for (const [code, description] of Object.entries(ERROR_CODES)) {
      expect(code).toMatch(/^[A-Z]+(?:_[A-Z]+)+$/);
      expect(description.length).toBeGreaterThan(10);
    }
    expect(new Set(Object.values(ERROR_CODES)).size).toBe(Object.keys(ERROR_CODES).length);
  });

  it('documents every code in the README', () => {
    const readme = readFileSync('README.md', 'utf8');
    const undocumented = Object.keys(ERROR_CODES).filter((code) => !readme.includes(`\`${code}\``));
    expect(undocumented).toEqual([]);
  });

  it('gives each error class its code and retryability', () => {
    expect(new FetchError('timeout', 'https://x', 'm')).toMatchObject({ code: 'FETCH_TIMEOUT', retryable: true });
    expect(new FetchError('status', 'https://x', 'm', { status: 404 })).toMatchObject({ code: 'FETCH_STATUS', retryable: false });
    expect(new FetchError('status', 'https://x', 'm', { status: 503 }).retryable).toBe(true);
    expect(new ParseError('kev', 'm')).toMatchObject({ code: 'PARSE_INVALID', name: 'ParseError' });
    expect(new ConfigError('a.b', 'm')).toBeInstanceOf(AppError);
  });
});
