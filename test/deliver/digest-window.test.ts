// Digest windows on the subscriber's wall clock: daily at a local time on both sides of a DST
// change (23- and 25-hour days), hourly in UTC and in a half-hour zone, and which alerts wait.
import { describe, expect, it } from 'vitest';
import { digestId, heldBy } from '../../src/deliver/digest/digest.js';
import { isTimeZone, isWallTime, windowOf } from '../../src/deliver/digest/window.js';
import { makeAdvisory, makeAlert } from '../helpers/alert-factory.js';

const iso = (w: { start: Date; end: Date }) => [w.start.toISOString(), w.end.toISOString()];
const berlin8 = { mode: 'digest', every: 'daily', at: '08:00', timeZone: 'Europe/Berlin' } as const;

describe('digest windows', () => {
  it('daily 08:00 Europe/Berlin: 23 hours over the spring change, 25 over the autumn one', () => {
    // 2026-03-29 02:00 CET becomes 03:00 CEST: 08:00 is 07:00Z before, 06:00Z after.
    expect(iso(windowOf(berlin8, new Date('2026-03-28T12:00:00Z')))).toEqual(['2026-03-28T07:00:00.000Z', '2026-03-29T06:00:00.000Z']);
    expect(iso(windowOf(berlin8, new Date('2026-03-29T05:59:59Z')))).toEqual(['2026-03-28T07:00:00.000Z', '2026-03-29T06:00:00.000Z']);
    expect(iso(windowOf(berlin8, new Date('2026-03-29T06:00:00Z')))).toEqual(['2026-03-29T06:00:00.000Z', '2026-03-30T06:00:00.000Z']);
    // 2026-10-25 03:00 CEST becomes 02:00 CET.
    expect(iso(windowOf(berlin8, new Date('2026-10-25T03:00:00Z')))).toEqual(['2026-10-24T06:00:00.000Z', '2026-10-25T07:00:00.000Z']);
    // The start is in its window, the end is not.
    expect(iso(windowOf(berlin8, new Date('2026-03-28T07:00:00Z')))[0]).toBe('2026-03-28T07:00:00.000Z');
    expect(iso(windowOf(berlin8, new Date('2026-03-28T06:59:59Z')))[1]).toBe('2026-03-28T07:00:00.000Z');
  });

  it('daily defaults to 08:00 UTC; a late evening time in a zone east of UTC', () => {
    expect(iso(windowOf({ mode: 'digest', every: 'daily' }, new Date('2026-01-10T07:59:00Z')))).toEqual(['2026-01-09T08:00:00.000Z', '2026-01-10T08:00:00.000Z']);
    // 23:30 in Tokyo (UTC+9, no DST) is 14:30Z.
    const tokyo = { mode: 'digest', every: 'daily', at: '23:30', timeZone: 'Asia/Tokyo' } as const;
    expect(iso(windowOf(tokyo, new Date('2026-01-10T15:00:00Z')))).toEqual(['2026-01-10T14:30:00.000Z', '2026-01-11T14:30:00.000Z']);
  });

  it('hourly: on the hour in UTC, on the local hour in a half-hour zone, and across a DST change', () => {
    const utc = { mode: 'digest', every: 'hourly' } as const;
    expect(iso(windowOf(utc, new Date('2026-01-10T10:59:59Z')))).toEqual(['2026-01-10T10:00:00.000Z', '2026-01-10T11:00:00.000Z']);
    const kolkata = { mode: 'digest', every: 'hourly', timeZone: 'Asia/Kolkata' } as const;
    expect(iso(windowOf(kolkata, new Date('2026-01-10T10:20:00Z')))).toEqual(['2026-01-10T09:30:00.000Z', '2026-01-10T10:30:00.000Z']);
    const berlinHourly = { mode: 'digest', every: 'hourly', timeZone: 'Europe/Berlin' } as const;
    expect(iso(windowOf(berlinHourly, new Date('2026-03-29T01:30:00Z')))).toEqual(['2026-03-29T01:00:00.000Z', '2026-03-29T02:00:00.000Z']);
  });

  it('knows time zones and wall times', () => {
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
    expect(isWallTime('08:00')).toBe(true);
    expect(isWallTime('24:00')).toBe(false);
    expect(isWallTime('8:00')).toBe(false);
  });
});

describe('what waits for a digest', () => {
  const digest = { delivery: { mode: 'digest', every: 'daily' } } as const;
  const plain = makeAlert({ advisory: makeAdvisory({ severity: 'important', exploited: {} }) });
  const critical = makeAlert({ advisory: makeAdvisory({ severity: 'critical', exploited: {} }) });
  const kev = makeAlert({ advisory: makeAdvisory({ severity: 'important' }) });

  it('holds ordinary alerts; critical and KEV go at once unless bypassDigest says otherwise', () => {
    expect(heldBy(digest, plain)).toBeDefined();
    expect(heldBy(digest, critical)).toBeUndefined();
    expect(heldBy(digest, kev)).toBeUndefined();
    expect(heldBy({ ...digest, bypassDigest: ['kev'] }, critical)).toBeDefined();
    expect(heldBy({ ...digest, bypassDigest: [] }, kev)).toBeDefined();
    expect(heldBy({ delivery: { mode: 'immediate' } }, plain)).toBeUndefined();
    expect(heldBy({}, plain)).toBeUndefined();
  });

  it('lets reminders through (a deadline must not wait a day)', () => {
    const reminder = { kind: 'due-today', date: '2026-03-28', daysLeft: 0, text: 'Reminder: apply by 2026-03-28 — today' } as const;
    expect(heldBy(digest, { ...plain, reminder })).toBeUndefined();
  });

  it('gives a digest an id that depends on subscription, window and lead member', () => {
    const w = windowOf(berlin8, new Date('2026-03-28T12:00:00Z'));
    const id = digestId('ops', w, 'ops:A:1');
    expect(id).toMatch(/^dg-[0-9a-f]{24}$/);
    expect(digestId('ops', w, 'ops:A:1')).toBe(id);
    expect(digestId('ops', w, 'ops:B:1')).not.toBe(id);
    expect(digestId('dev', w, 'ops:A:1')).not.toBe(id);
    expect(digestId('ops', windowOf(berlin8, new Date('2026-03-29T12:00:00Z')), 'ops:A:1')).not.toBe(id);
  });
});
