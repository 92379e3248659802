import { describe, expect, it } from 'vitest';
import { rateAdvisory, severityFromCvssScore, severityFromVendorWord } from '../../src/normalize/severity.js';

describe('severity mapping', () => {
  it.each([
    ['Critical', 'critical'],
    ['IMPORTANT', 'important'],
    ['High', 'important'],
    ['moderate', 'moderate'],
    ['Medium', 'moderate'],
    ['LOW', 'low'],
  ])('vendor word %s → %s', (word, expected) => {
    expect(severityFromVendorWord(word)).toBe(expected);
  });

  it('does not guess an unknown word', () => {
    expect(severityFromVendorWord('spicy')).toBeUndefined();
  });

  it.each([
    [10, 'critical'],
    [9.0, 'critical'],
    [8.9, 'important'],
    [7.0, 'important'],
    [6.9, 'moderate'],
    [4.0, 'moderate'],
    [3.9, 'low'],
    [0.1, 'low'],
    [0, 'none'],
  ])('CVSS %d → %s', (score, expected) => {
    expect(severityFromCvssScore(score)).toBe(expected);
  });

  it("prefers the vendor's word over CVSS", () => {
    expect(rateAdvisory({ vendorSeverity: 'Low', cvss: [{ version: '3.1', score: 9.8 }], exploited: {} })).toEqual({
      severity: 'low',
      severitySource: 'vendor',
    });
  });

  it('uses the newest CVSS version when there is no vendor word', () => {
    const rating = rateAdvisory({ cvss: [{ version: '2.0', score: 10 }, { version: '3.1', score: 5.3 }], exploited: {} });
    expect(rating).toEqual({ severity: 'moderate', severitySource: 'cvss' });
  });

  it('a KEV listing raises to at least important and says so', () => {
    const kev = { dateAdded: '2025-08-25', dueDate: '2025-09-15', ransomware: false };
    expect(rateAdvisory({ vendorSeverity: 'Low', cvss: [], exploited: { kev } })).toEqual({ severity: 'important', severitySource: 'kev' });
    expect(rateAdvisory({ vendorSeverity: 'Critical', cvss: [], exploited: { kev } })).toEqual({ severity: 'critical', severitySource: 'vendor' });
  });

  it('a source fallback fills a missing rating as policy, never as the vendor', () => {
    expect(rateAdvisory({ cvss: [], exploited: {} }, 'important')).toEqual({ severity: 'important', severitySource: 'policy' });
    expect(rateAdvisory({ cvss: [], exploited: {} })).toEqual({ severity: 'none', severitySource: 'policy' });
  });
});
