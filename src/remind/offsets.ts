// Which days before an apply-by date a subscription is reminded on ("3d" = three days before, "0d" = on the day).

/** Used when a subscription says nothing: three days before and on the day. */
export const DEFAULT_REMIND_BEFORE: readonly string[] = ['3d', '0d'];

/** "3d" → 3; offsets as whole days, ascending, without duplicates. `[]` means no apply-by reminders. */
export function remindOffsets(remindBefore: readonly string[] | undefined): number[] {
  const days = (remindBefore ?? DEFAULT_REMIND_BEFORE)
    .map((o) => /^(\d{1,3})d$/.exec(o.trim())?.[1])
    .filter((d): d is string => d !== undefined)
    .map(Number);
  return [...new Set(days)].sort((a, b) => a - b);
}

/** The reminder a day falls under: the smallest offset that has come (daysLeft ≤ offset); undefined while too early. */
export function dueOffset(offsets: readonly number[], daysLeft: number): number | undefined {
  return offsets.find((o) => daysLeft <= o);
}
