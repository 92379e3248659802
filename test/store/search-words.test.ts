import { describe, expect, it } from 'vitest';
import { isCalendarDay, publishedBounds, queryWordsOf, searchWordsOf, wordsOf } from '../../src/store/search-words.js';
import { makeAdvisory } from '../helpers/advisory-factory.js';

describe('search words', () => {
  it('splits on spaces and punctuation, keeps joined words whole, folds case and width', () => {
    expect(wordsOf('Important: OpenSSL-3.0.2 (CVE-2024-1234), “quoted”, x86_64 — ＡＢＣ Überwachung')).toEqual([
      'important',
      'openssl-3.0.2',
      'cve-2024-1234',
      'quoted',
      'x86_64',
      'abc',
      'überwachung',
    ]);
    expect(wordsOf(`short ${'x'.repeat(101)} kept`)).toEqual(['short', 'kept']);
  });

  it('indexes id, title, CVEs, aliases and products, joined words also by their parts, but not the summary', () => {
    const a = makeAdvisory({
      id: 'RHSA-2024:1234',
      title: 'openssl update',
      summary: 'nothing from here',
      cves: ['CVE-2024-1234'],
      aliases: ['GHSA-aaaa-bbbb-cccc'],
      products: [{ vendor: 'Red Hat', product: 'Enterprise Linux' }, { product: 'openssl' }],
    });
    expect(searchWordsOf(a).sort()).toEqual(
      ['rhsa-2024:1234', 'rhsa', '2024', '1234', 'openssl', 'update', 'cve-2024-1234', 'cve', 'ghsa-aaaa-bbbb-cccc', 'ghsa', 'aaaa', 'bbbb', 'cccc', 'red', 'hat', 'enterprise', 'linux'].sort(),
    );
  });

  it('asks for each distinct query word once; punctuation alone asks for nothing', () => {
    expect(queryWordsOf('OpenSSL openssl  Update')).toEqual(['openssl', 'update']);
    expect(queryWordsOf(' -- !! ')).toEqual([]);
  });

  it('turns days and instants into half-open bounds', () => {
    expect(publishedBounds('2024-03-01', '2024-03-31')).toEqual({ from: '2024-03-01', before: '2024-04-01' });
    expect(publishedBounds(undefined, '2024-12-31')).toEqual({ before: '2025-01-01' });
    expect(publishedBounds('2024-03-01T02:00:00+02:00', '2024-03-01T10:00:00Z')).toEqual({ from: '2024-03-01T00:00:00.000Z', before: '2024-03-01T10:00:00.001Z' });
    expect(() => publishedBounds('soon')).toThrow(/"soon" is not an ISO 8601 date or instant/);
    expect(() => publishedBounds(undefined, '2023-02-29')).toThrow(/"2023-02-29" is not a calendar date/);
    expect([isCalendarDay('2024-02-29'), isCalendarDay('2023-02-29'), isCalendarDay('2024-2-9')]).toEqual([true, false, false]);
  });
});
