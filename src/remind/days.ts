// Calendar days in UTC: apply-by and planned dates are days (YYYY-MM-DD), so reminders count whole days.

const DAY_MS = 86_400_000;

/** The UTC day of an instant, YYYY-MM-DD. */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** Start (00:00 UTC) of a YYYY-MM-DD day, in ms; NaN when it is not a date. */
export function dayStart(day: string): number {
  return Date.parse(`${day.slice(0, 10)}T00:00:00Z`);
}

/** Whole days from `from` to `to` (both YYYY-MM-DD): 3 = three days later, -1 = the day before. */
export function daysBetween(from: string, to: string): number {
  return Math.round((dayStart(to) - dayStart(from)) / DAY_MS);
}

/** The day `days` days after `day` (negative: before). */
export function addDays(day: string, days: number): string {
  return new Date(dayStart(day) + days * DAY_MS).toISOString().slice(0, 10);
}
