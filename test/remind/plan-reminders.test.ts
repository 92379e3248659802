// The reminder planner, pure: which reminder is due on which day, and which never is.
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../src/deliver/channel.js';
import type { Advisory } from '../../src/model/advisory.js';
import type { Match } from '../../src/model/match.js';
import type { Acknowledgement } from '../../src/model/subscription.js';
import { planReminders, type ReminderInput } from '../../src/remind/index.js';
import type { RecordedDelivery } from '../../src/remind/plan-reminders.js';
import { makeAdvisory, makeMatch } from '../helpers/alert-factory.js';

const advisory = makeAdvisory({ id: 'kev:CVE-2026-1000', title: 'Exchange hybrid privilege escalation', severity: 'critical' });
const exchange = makeMatch({ advisoryId: advisory.id, applyBy: '2026-12-01', applyByRule: 'kev:dueDate' });
const alerted: RecordedDelivery = { key: `ops:${advisory.id}:1`, subscriptionId: 'ops', advisoryId: advisory.id, createdAt: '2026-11-20T10:00:00.000Z', isReminder: false };

function plan(at: string, over: Partial<ReminderInput> = {}): Alert[] {
  return planReminders({
    now: new Date(at),
    targets: [{ id: 'ops' }],
    candidates: [{ advisory, matches: [exchange] }],
    deliveries: [alerted],
    acknowledgements: [],
    ...over,
  });
}

/** What the store would hold after recording these reminders. */
function recorded(reminders: readonly Alert[]): RecordedDelivery[] {
  return reminders.map((r) => ({ key: r.id, subscriptionId: r.subscriptionId, advisoryId: r.advisory.id, createdAt: '2026-11-28T00:00:00.000Z', isReminder: true }));
}

const ack = (status: Acknowledgement['status'], item = exchange.item): Acknowledgement => ({
  advisoryId: advisory.id,
  itemCollection: item.collection,
  itemName: item.name,
  status,
  acknowledgedAt: '2026-11-27T09:00:00.000Z',
});

describe('apply-by reminders (default 3 days before and on the day)', () => {
  it('nothing before the window opens', () => {
    expect(plan('2026-11-27T23:59:59Z')).toEqual([]);
  });

  it('3 days before: one reminder saying so, under a key naming offset and date', () => {
    const [r, ...rest] = plan('2026-11-28T08:00:00Z');
    expect(rest).toEqual([]);
    expect(r?.id).toBe(`ops:${advisory.id}:remind:3d:2026-12-01`);
    expect(r?.reminder).toEqual({ kind: 'before', date: '2026-12-01', daysLeft: 3, text: 'Reminder: apply by 2026-12-01 — 3 days left' });
    expect(r?.applyBy).toBe('2026-12-01');
    expect(r?.matches).toEqual([exchange]);
  });

  it('a rerun, and the days in between, add nothing; the day itself adds one more', () => {
    const first = plan('2026-11-28T08:00:00Z');
    const deliveries = [alerted, ...recorded(first)];
    expect(plan('2026-11-28T20:00:00Z', { deliveries })).toEqual([]);
    expect(plan('2026-11-30T08:00:00Z', { deliveries })).toEqual([]);
    const onTheDay = plan('2026-12-01T06:00:00Z', { deliveries });
    expect(onTheDay.map((r) => [r.id, r.reminder?.kind, r.reminder?.text])).toEqual([
      [`ops:${advisory.id}:remind:0d:2026-12-01`, 'due-today', 'Reminder: apply by today, 2026-12-01'],
    ]);
    expect(plan('2026-12-01T18:00:00Z', { deliveries: [...deliveries, ...recorded(onTheDay)] })).toEqual([]);
  });

  it('one overdue reminder after the day, within the grace week; never twice', () => {
    const [late] = plan('2026-12-02T06:00:00Z');
    expect(late?.id).toBe(`ops:${advisory.id}:remind:overdue:2026-12-01`);
    expect(late?.reminder?.kind).toBe('overdue');
    expect(late?.reminder?.daysLeft).toBe(-1);
    expect(plan('2026-12-05T06:00:00Z', { deliveries: [alerted, ...recorded([late!])] })).toEqual([]);
    expect(plan('2026-12-09T06:00:00Z')).toEqual([]);
  });

  it('an alert sent inside a window makes that reminder unnecessary (the alert said the date)', () => {
    const lateAlert = { ...alerted, createdAt: '2026-11-29T10:00:00.000Z' };
    expect(plan('2026-11-29T12:00:00Z', { deliveries: [lateAlert] })).toEqual([]);
    expect(plan('2026-12-01T06:00:00Z', { deliveries: [lateAlert] }).map((r) => r.reminder?.kind)).toEqual(['due-today']);
    const overdueAlert = { ...alerted, createdAt: '2026-12-03T10:00:00.000Z' };
    expect(plan('2026-12-04T06:00:00Z', { deliveries: [overdueAlert] })).toEqual([]);
  });

  it('only subscriptions that were alerted, want reminders, and have offsets', () => {
    expect(plan('2026-11-28T08:00:00Z', { deliveries: [] })).toEqual([]);
    expect(plan('2026-11-28T08:00:00Z', { targets: [{ id: 'ops', kinds: ['advisory'] }] })).toEqual([]);
    expect(plan('2026-11-28T08:00:00Z', { targets: [{ id: 'ops', kinds: ['advisory', 'reminder'] }] })).toHaveLength(1);
    expect(plan('2026-11-28T08:00:00Z', { targets: [{ id: 'ops', remindBefore: [] }] })).toEqual([]);
    const weekAhead = plan('2026-11-24T08:00:00Z', { targets: [{ id: 'ops', remindBefore: ['7d', '1d'] }] });
    expect(weekAhead.map((r) => r.id)).toEqual([`ops:${advisory.id}:remind:7d:2026-12-01`]);
    // Another subscription's alert does not make "ops" alerted.
    expect(plan('2026-11-28T08:00:00Z', { deliveries: [{ ...alerted, subscriptionId: 'other' }] })).toEqual([]);
  });

  it('acknowledged ("applied" or "not-applicable") items stop reminders; the rest still get them', () => {
    expect(plan('2026-11-28T08:00:00Z', { acknowledgements: [ack('applied')] })).toEqual([]);
    expect(plan('2026-11-28T08:00:00Z', { acknowledgements: [ack('not-applicable')] })).toEqual([]);
    const second = makeMatch({ advisoryId: advisory.id, item: { ...exchange.item, name: 'Exchange 2016' }, applyBy: '2026-12-10', applyByRule: 'msrc-classic:critical' });
    // The first item handled: the next date to remind of is the second item's.
    const left = plan('2026-12-07T08:00:00Z', { candidates: [{ advisory, matches: [exchange, second] }], acknowledgements: [ack('applied')] });
    expect(left.map((r) => [r.id, r.matches.map((m) => m.item.name)])).toEqual([[`ops:${advisory.id}:remind:3d:2026-12-10`, ['Exchange 2016']]]);
  });

  it('a moved apply-by date gets new reminders under new keys', () => {
    const first = plan('2026-11-28T08:00:00Z');
    const moved: Match = { ...exchange, applyBy: '2026-12-08' };
    const deliveries = [alerted, ...recorded(first)];
    expect(plan('2026-12-05T08:00:00Z', { candidates: [{ advisory, matches: [moved] }], deliveries }).map((r) => r.id)).toEqual([
      `ops:${advisory.id}:remind:3d:2026-12-08`,
    ]);
  });
});

describe('planned-day reminders of advance notices', () => {
  const notice: Advisory = makeAdvisory({
    id: 'advance:nodejs-2026-07',
    kind: 'advance-notice',
    title: 'Node.js security releases planned',
    severity: 'important',
    plannedRelease: { date: '2026-07-27', maxSeverity: 'important' },
    products: [{ vendor: 'Node.js', product: 'Node.js 22.x', severity: 'important' }],
  });
  const noticeAlert: RecordedDelivery = { key: `ops:${notice.id}:1`, subscriptionId: 'ops', advisoryId: notice.id, createdAt: '2026-07-20T10:00:00.000Z', isReminder: false };
  const planNotice = (at: string, n: Advisory = notice, deliveries = [noticeAlert]) =>
    planReminders({ now: new Date(at), targets: [{ id: 'ops' }], candidates: [{ advisory: n, matches: [] }], deliveries, acknowledgements: [] });

  it('on the planned day: "expected today", once', () => {
    expect(planNotice('2026-07-26T12:00:00Z')).toEqual([]);
    const [r, ...rest] = planNotice('2026-07-27T07:00:00Z');
    expect(rest).toEqual([]);
    expect(r?.id).toBe(`ops:${notice.id}:remind:planned:2026-07-27`);
    expect(r?.reminder).toEqual({ kind: 'planned-day', date: '2026-07-27', daysLeft: 0, text: 'Reminder: expected today: IMPORTANT fix for Node.js 22.x' });
    const again = [noticeAlert, { key: r!.id, subscriptionId: 'ops', advisoryId: notice.id, createdAt: '2026-07-27T07:00:00.000Z', isReminder: true }];
    expect(planNotice('2026-07-27T15:00:00Z', notice, again)).toEqual([]);
    expect(planNotice('2026-07-28T07:00:00Z')).toEqual([]);
  });

  it('not for a notice already closed by its release, nor one alerted that same day (a postponement)', () => {
    expect(planNotice('2026-07-27T07:00:00Z', { ...notice, closedBy: ['nodejs:CVE-2026-1'] })).toEqual([]);
    expect(planNotice('2026-07-27T09:00:00Z', notice, [{ ...noticeAlert, createdAt: '2026-07-27T08:00:00.000Z' }])).toEqual([]);
  });

  it('a postponed notice is reminded of on its new day', () => {
    const postponed = { ...notice, revision: 2, plannedRelease: { date: '2026-07-30', maxSeverity: 'important' as const } };
    expect(planNotice('2026-07-27T07:00:00Z', postponed)).toEqual([]);
    expect(planNotice('2026-07-30T07:00:00Z', postponed).map((r) => r.id)).toEqual([`ops:${notice.id}:remind:planned:2026-07-30`]);
  });
});
