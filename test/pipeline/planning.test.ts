// Planning alerts for advance notices: the lines, the subject, both email bodies.
import { describe, expect, it } from 'vitest';
import { alertSubject, renderAlertHtml, renderAlertText } from '../../src/deliver/render.js';
import { buildJsonFeed } from '../../src/feed/json-feed.js';
import type { Advisory } from '../../src/model/advisory.js';
import { planAlerts } from '../../src/pipeline/plan-alerts.js';
import { planningLines } from '../../src/pipeline/planning.js';
import { makeAdvisory } from '../helpers/advisory-factory.js';

const notice = (over: Partial<Advisory> = {}): Advisory =>
  makeAdvisory({
    id: 'nodejs:july-2026-security-releases',
    kind: 'advance-notice',
    title: 'Node.js security releases: Monday, July 27, 2026 Security Releases',
    severity: 'important',
    cves: [],
    products: [
      { vendor: 'Node.js', product: 'Node.js 24.x', ranges: ['24.x'], severity: 'high' },
      { vendor: 'Node.js', product: 'Node.js 22.x', ranges: ['22.x'], severity: 'medium' },
      { vendor: 'Node.js', product: 'Node.js 20.x', ranges: ['20.x'] },
    ],
    plannedRelease: { date: '2026-07-27', maxSeverity: 'important' },
    ...over,
  });
const sub = [{ id: 'plan', minSeverity: 'important' as const, matchedOnly: false }];
const policy = { rules: ['msrc-classic' as const, 'kev' as const], clockStart: 'release' as const };

describe('planning lines', () => {
  it('one per release line, with the line’s own rating, else the notice’s highest', () => {
    expect(planningLines(notice())).toEqual([
      'expect a HIGH fix for Node.js 24.x on 2026-07-27',
      'expect a MEDIUM fix for Node.js 22.x on 2026-07-27',
      'expect an IMPORTANT fix for Node.js 20.x on 2026-07-27',
    ]);
  });

  it('none for an advisory or for a notice its release closed', () => {
    expect(planningLines(makeAdvisory())).toEqual([]);
    expect(planningLines(notice({ closedBy: ['nodejs:x:CVE-2026-1'] }))).toEqual([]);
  });

  it('the alert carries them, has no apply-by, and every rendering says them', () => {
    const [alert] = planAlerts([{ id: notice().id, status: 'new', advisory: notice() }], new Map(), sub, policy);
    expect(alert).toMatchObject({ applyBy: null, planning: planningLines(notice()) });
    expect(alertSubject(alert!)).toMatch(/— release expected 2026-07-27$/);
    expect(renderAlertText(alert!)).toContain('PLANNED: expect a HIGH fix for Node.js 24.x on 2026-07-27');
    expect(renderAlertText(alert!)).toContain('New advance notice of a security release');
    expect(renderAlertHtml(alert!)).toContain('Planned: expect a HIGH fix for Node.js 24.x on 2026-07-27');
  });

  it('the JSON Feed says the planned release and, once closed, what closed it; never an apply-by date', () => {
    const entry = (a: Advisory) => ({ stored: { advisory: a, firstSeen: '2026-07-20T00:00:00Z', updatedAt: '2026-07-20T00:00:00Z' }, matches: [] });
    const closed = notice({ closedBy: ['nodejs:x:CVE-2026-1'] });
    const feed = buildJsonFeed([entry(notice()), entry(closed)], { title: 't' }, policy);
    const ext = feed.items.map((i) => i._secwatch);
    expect(ext[0]).toMatchObject({ kind: 'advance-notice', planned_release: { date: '2026-07-27', maxSeverity: 'important' }, apply_by: null });
    expect(ext[0]!.closed_by).toBeUndefined();
    expect(ext[1]).toMatchObject({ closed_by: ['nodejs:x:CVE-2026-1'], apply_by: null });
  });

  it('a closed notice alerts nobody', () => {
    const closed = notice({ closedBy: ['nodejs:x:CVE-2026-1'] });
    expect(planAlerts([{ id: closed.id, status: 'revised', advisory: closed }], new Map(), sub, policy)).toEqual([]);
  });
});
