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

describe('computeApplyBy — bod-26-04 (KEV × exposed × automatable × technical impact)', () => {
  const bod: ApplyByPolicy = { rules: ['bod-26-04'], clockStart: 'release' };
  const all: ApplyByPolicy = { rules: ['msrc-classic', 'kev', 'bod-26-04'], clockStart: 'release' };
  const published = '2025-03-01T00:00:00.000Z';
  const kev = { dateAdded: '2025-03-01', dueDate: '2025-03-22', ransomware: false };
  const ssvc = (automatable: boolean, technicalImpact: 'partial' | 'total', cve = 'CVE-2025-0001') => ({ cve, exploitation: 'poc' as const, automatable, technicalImpact });

  // [what, exploited, exposed, expected date, rule]
  const rows: [string, Parameters<typeof makeAdvisory>[0], boolean, string | null, RegExp][] = [
    ['KEV, exposed', { exploited: { kev } }, true, '2025-03-04', /KEV-listed, internet-facing: 3 days/],
    ['KEV, internal', { exploited: { kev } }, false, '2025-03-15', /KEV-listed, not internet-facing: 14 days/],
    ['exposed, automatable, total', { exploited: { ssvc: [ssvc(true, 'total')] } }, true, '2025-03-15', /internet-facing, automatable, total technical impact \(SSVC CVE-2025-0001\): 14 days/],
    ['internal, automatable, total', { exploited: { ssvc: [ssvc(true, 'total')] } }, false, '2025-04-30', /: 60 days/],
    ['exposed, automatable, partial', { exploited: { ssvc: [ssvc(true, 'partial')] } }, true, '2025-04-30', /: 60 days/],
    ['internal, not automatable, partial', { exploited: { ssvc: [ssvc(false, 'partial')] } }, false, null, /next scheduled upgrade/],
  ];
  it.each(rows)('%s → %s', (_what, over, exposed, date, rule) => {
    const a = makeAdvisory({ severity: 'low', published, ...over });
    const result = computeApplyBy(a, bod, { exposed });
    expect(result.date).toBe(date);
    expect(result.rule).toMatch(rule);
  });

  it('judges each CVE vector on its own and takes the most urgent', () => {
    const a = makeAdvisory({ severity: 'low', published, exploited: { ssvc: [ssvc(false, 'partial', 'CVE-A'), ssvc(true, 'total', 'CVE-B')] } });
    expect(computeApplyBy(a, bod, { exposed: true }).rule).toMatch(/CVE-B\): 14 days/);
  });

  it('proposes nothing when the advisory carries neither a KEV listing nor SSVC', () => {
    const a = makeAdvisory({ severity: 'low', published, exploited: {} });
    expect(computeApplyBy(a, bod, { exposed: true })).toEqual({ date: null, rule: 'no apply-by rule gives a date' });
  });

  it('the earliest rule wins and is named: bod-26-04 beats the KEV dueDate for an exposed item, not for an internal one', () => {
    const a = makeAdvisory({ severity: 'important', published, exploited: { kev } });
    expect(computeApplyBy(a, all, { exposed: true })).toMatchObject({ date: '2025-03-04', rule: expect.stringMatching(/^bod-26-04/) as unknown });
    expect(computeApplyBy(a, all, { exposed: false })).toMatchObject({ date: '2025-03-15', rule: expect.stringMatching(/^bod-26-04/) as unknown });
    const tested = computeApplyBy(makeAdvisory({ severity: 'critical', published, exploited: { kev } }), all, { exposed: false, testsFirst: false });
    expect(tested).toMatchObject({ date: '2025-03-02', rule: expect.stringMatching(/^msrc-classic critical/) as unknown });
  });
});
