import { describe, expect, it } from 'vitest';
import { computeApplyBy, MSRC_CLASSIC, type ApplyByPolicy } from '../../src/normalize/apply-by.js';
import type { Severity } from '../../src/model/severity.js';
import { makeAdvisory } from '../helpers/advisory-factory.js';

const both: ApplyByPolicy = { rules: ['msrc-classic', 'kev'], clockStart: 'release' };
const msrcOnly: ApplyByPolicy = { rules: ['msrc-classic'], clockStart: 'release' };

// Each row of the classic MSRC table, untested and tested-first, from a release on 2025-01-31
// (the month end makes calendar-month arithmetic visible).
const rows: [Severity, boolean, string | null, RegExp][] = [
  ['critical', false, '2025-02-01', /critical: 24 hours/],
  ['critical', true, '2025-02-14', /critical, tested first: 2 weeks/],
  ['important', false, '2025-02-28', /important: 1 month/],
  ['important', true, '2025-03-31', /important, tested first: 2 months/],
  ['moderate', false, '2025-05-31', /moderate: 4 months/],
  ['moderate', true, '2025-07-31', /moderate, tested first: 6 months/],
  ['low', false, null, /low: next scheduled roll-up/],
  ['low', true, null, /low, tested first: next scheduled roll-up/],
  ['none', false, null, /none: next scheduled roll-up/],
];

describe('computeApplyBy — msrc-classic', () => {
  it.each(rows)('%s (tested first: %s) → %s', (severity, testsFirst, date, rule) => {
    const a = makeAdvisory({ severity, published: '2025-01-31T10:00:00.000Z' });
    const result = computeApplyBy(a, msrcOnly, { testsFirst });
    expect(result.date).toBe(date);
    expect(result.rule).toMatch(rule);
  });

  it('covers every severity in the table', () => {
    expect(Object.keys(MSRC_CLASSIC).sort()).toEqual(['critical', 'important', 'low', 'moderate', 'none']);
  });

  it('starts the clock at first-seen when the policy says so', () => {
    const a = makeAdvisory({ severity: 'critical', published: '2025-01-01T00:00:00.000Z' });
    const result = computeApplyBy(a, { rules: ['msrc-classic'], clockStart: 'first-seen' }, { firstSeen: '2025-03-10T08:00:00.000Z' });
    expect(result.date).toBe('2025-03-11');
  });
});

describe('computeApplyBy — kev and the earliest-wins rule', () => {
  const kev = { dateAdded: '2025-08-25', dueDate: '2025-09-15', ransomware: false };

  it('takes the KEV dueDate when it is earlier than the msrc-classic window', () => {
    const a = makeAdvisory({ severity: 'important', published: '2025-08-25T00:00:00.000Z', exploited: { kev } });
    const result = computeApplyBy(a, both);
    expect(result).toEqual({ date: '2025-09-15', rule: expect.stringMatching(/^kev dueDate/) as unknown });
  });

  it('takes msrc-classic when it is earlier than the KEV dueDate', () => {
    const a = makeAdvisory({ severity: 'critical', published: '2025-08-25T00:00:00.000Z', exploited: { kev } });
    expect(computeApplyBy(a, both)).toMatchObject({ date: '2025-08-26', rule: expect.stringMatching(/^msrc-classic critical/) as unknown });
  });

  it('a KEV date beats an undated low rating', () => {
    const a = makeAdvisory({ severity: 'low', exploited: { kev } });
    expect(computeApplyBy(a, both).date).toBe('2025-09-15');
  });

  it('ignores the KEV date when the kev rule is not in force', () => {
    const a = makeAdvisory({ severity: 'low', exploited: { kev } });
    expect(computeApplyBy(a, msrcOnly).date).toBeNull();
  });
});
