// Retry-After: RFC 9110 §10.2.3 (delay-seconds or an HTTP-date).

/** Longest wait we accept from a receiver's Retry-After; beyond that the runner's backoff decides. */
export const MAX_RETRY_AFTER_MS = 24 * 60 * 60 * 1000;

/**
 * Retry-After as delay-seconds or an HTTP-date (RFC 9110 §10.2.3), measured from `now` (the
 * injected clock); undefined when absent or unreadable, clamped to [0, MAX_RETRY_AFTER_MS].
 */
export function parseRetryAfter(value: string | null | undefined, now: Date): number | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  if (/^\d+$/.test(v)) return Math.min(Number(v) * 1000, MAX_RETRY_AFTER_MS);
  // IMF-fixdate, RFC 850 and asctime all start with a day name; V8's Date.parse alone is too lenient.
  if (!/^[A-Za-z]{3,9},? /.test(v)) return undefined;
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.min(Math.max(0, at - now.getTime()), MAX_RETRY_AFTER_MS);
}
