import { parseDuration } from './duration.js';

/** At most `count` sends in any window of `windowMs` (a sliding window: see src/pipeline/rate-limit/). */
export interface Rate {
  readonly count: number;
  readonly windowMs: number;
}

/** "N/duration" → Rate: "1/s", "4/1s", "30/1m", "100/15m"; a bare unit means one of it. Undefined if malformed. */
export function parseRate(text: string): Rate | undefined {
  const m = /^\s*(\d+)\s*\/\s*(\S+)\s*$/.exec(text);
  if (!m) return undefined;
  const count = Number(m[1]);
  const unit = m[2] ?? '';
  const windowMs = parseDuration(/^[a-z]+$/i.test(unit) ? `1${unit}` : unit);
  if (!Number.isSafeInteger(count) || count < 1 || windowMs === undefined || windowMs < 1) return undefined;
  return { count, windowMs };
}
