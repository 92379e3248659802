// Digest windows on the subscriber's wall clock, with Intl only (no time-zone library): a daily
// digest "at 08:00 Europe/Berlin" closes at 08:00 local time on both sides of a DST change.
import type { DeliverySchedule } from '../../model/subscription.js';

/** One digest window: [start, end). An alert recorded at t belongs to the window holding t. */
export interface DigestWindow {
  readonly start: Date;
  readonly end: Date;
}

export const DEFAULT_DIGEST_AT = '08:00';
export const DEFAULT_DIGEST_TIME_ZONE = 'UTC';
const HOUR_MS = 3_600_000;
const AT_PATTERN = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** True for a time zone this runtime's Intl knows (IANA names such as "Europe/Berlin", or "UTC"). */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** True for "HH:MM" on a 24-hour clock. */
export function isWallTime(text: string): boolean {
  return AT_PATTERN.test(text);
}

/** The window of a digest schedule that holds the instant `at`. */
export function windowOf(schedule: DeliverySchedule, at: Date): DigestWindow {
  const timeZone = schedule.timeZone ?? DEFAULT_DIGEST_TIME_ZONE;
  const [hh, mm] = parseAt(schedule.at ?? DEFAULT_DIGEST_AT);
  return (schedule.every ?? 'daily') === 'hourly' ? hourlyWindow(at, mm, timeZone) : dailyWindow(at, hh, mm, timeZone);
}

/**
 * Hourly windows close at minute `mm` of every local hour (":00" by default), so a zone with a
 * half-hour offset (Asia/Kolkata) still gets them on its own hour.
 */
function hourlyWindow(at: Date, mm: number, timeZone: string): DigestWindow {
  const t = at.getTime();
  const offset = offsetMs(t, timeZone);
  const local = t + offset - mm * 60_000;
  const startLocal = Math.floor(local / HOUR_MS) * HOUR_MS + mm * 60_000;
  const start = startLocal - offset;
  return { start: new Date(start), end: new Date(start + HOUR_MS) };
}

/** Daily windows run from one local hh:mm to the next: 23, 24 or 25 hours long across DST. */
function dailyWindow(at: Date, hh: number, mm: number, timeZone: string): DigestWindow {
  const t = at.getTime();
  const { year, month, day } = wallClock(t, timeZone);
  const today = zonedTime(year, month, day, hh, mm, timeZone);
  if (today <= t) return { start: new Date(today), end: new Date(zonedTime(year, month, day + 1, hh, mm, timeZone)) };
  return { start: new Date(zonedTime(year, month, day - 1, hh, mm, timeZone)), end: new Date(today) };
}

function parseAt(text: string): [number, number] {
  const m = AT_PATTERN.exec(text);
  if (!m) throw new RangeError(`digest time "${text}" is not HH:MM`);
  return [Number(m[1]), Number(m[2])];
}

/**
 * The instant of a local wall-clock time (Date.UTC normalises day 0 or 32). Two passes over the
 * zone's offset settle the instant; a time skipped by a spring-forward change lands just after it.
 */
function zonedTime(year: number, month: number, day: number, hh: number, mm: number, timeZone: string): number {
  const wall = Date.UTC(year, month - 1, day, hh, mm);
  const first = wall - offsetMs(wall, timeZone);
  const second = wall - offsetMs(first, timeZone);
  return second;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function wallClock(t: number, timeZone: string): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(new Date(t)).map((p) => [p.type, p.value]));
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

/** The zone's offset from UTC at instant t, in ms (Berlin in summer: +7,200,000). */
function offsetMs(t: number, timeZone: string): number {
  const w = wallClock(t, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - (t - (((t % 1000) + 1000) % 1000));
}
