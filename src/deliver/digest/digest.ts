// What a digest is and which alerts wait for one. Pure: the pipeline (src/pipeline/digest-deliver.ts)
// finds the members in the store, the channels lay them out (sendDigest).
import type { DeliverySchedule, DigestBypass, DigestEvery, DigestSettings } from '../../model/subscription.js';
import { sha256Hex } from '../../util/hash.js';
import type { Alert } from '../channel.js';
import { DEFAULT_DIGEST_TIME_ZONE, type DigestWindow } from './window.js';

/** Held unless the subscription says otherwise: a critical or KEV-listed item is never made to wait. */
export const DEFAULT_BYPASS: readonly DigestBypass[] = ['critical', 'kev'];

/** One message's worth of alerts for one subscription and one window. */
export interface Digest {
  /** Stable for (subscription, window, first member): the webhook-id and Message-ID seed, so a resend is recognisably the same. */
  readonly id: string;
  readonly subscriptionId: string;
  readonly every: DigestEvery;
  readonly timeZone: string;
  readonly windowStart: string; // ISO 8601
  readonly windowEnd: string; // ISO 8601
  /** Oldest first, each exactly once. */
  readonly alerts: readonly Alert[];
}

/** The schedule an alert waits for, or undefined when it goes out at once. */
export function heldBy(settings: DigestSettings, alert: Alert): DeliverySchedule | undefined {
  const schedule = settings.delivery;
  if (schedule?.mode !== 'digest') return undefined;
  // Reminders are about a deadline: a reminder held for a daily digest could arrive after it.
  if (alert.reminder !== undefined) return undefined;
  const bypass = settings.bypassDigest ?? DEFAULT_BYPASS;
  if (bypass.includes('critical') && alert.advisory.severity === 'critical') return undefined;
  if (bypass.includes('kev') && alert.advisory.exploited.kev !== undefined) return undefined;
  return schedule;
}

/**
 * `dg-<24 hex>` from the subscription, the window start and the first member's key: the same
 * digest keeps its id through any number of retries; a late straggler's own digest gets another.
 */
export function digestId(subscriptionId: string, window: DigestWindow, firstKey: string): string {
  return `dg-${sha256Hex(`${subscriptionId}\n${window.start.toISOString()}\n${firstKey}`).slice(0, 24)}`;
}

/** "secwatch daily digest, 2026-03-29 08:00 to 2026-03-30 08:00 (Europe/Berlin)". */
export function digestTitle(digest: Pick<Digest, 'every' | 'timeZone' | 'windowStart' | 'windowEnd'>): string {
  const zone = digest.timeZone || DEFAULT_DIGEST_TIME_ZONE;
  const fmt = new Intl.DateTimeFormat('sv-SE', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  return `secwatch ${digest.every} digest, ${fmt.format(new Date(digest.windowStart))} to ${fmt.format(new Date(digest.windowEnd))} (${zone})`;
}

/** The time a digest is rendered at: its window's end, so every resend reads the same. */
export function digestRenderTime(digest: Pick<Digest, 'windowEnd'>): Date {
  return new Date(digest.windowEnd);
}
