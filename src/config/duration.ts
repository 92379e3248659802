const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** "90s", "15m", "1h", "1d" or a number of seconds → milliseconds; undefined when unreadable. */
export function parseDuration(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value > 0 ? value * 1000 : undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$/.exec(value);
  if (!m) return undefined;
  return Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
}

/** "10MB", "512kB", "1GB" or a number of bytes → bytes. */
export function parseByteSize(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value > 0 ? value : undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(B|kB|KB|KiB|MB|MiB|GB|GiB)?\s*$/.exec(value);
  if (!m) return undefined;
  const unit = m[2] ?? 'B';
  const factor =
    unit === 'B' ? 1 : unit.startsWith('k') || unit.startsWith('K') ? 1024 : unit.startsWith('M') ? 1024 ** 2 : 1024 ** 3;
  return Math.round(Number(m[1]) * factor);
}
