// Standard Webhooks payload structure: https://www.standardwebhooks.com/ ("type", "timestamp", "data")
import type { Alert, AlertReminder } from '../channel.js';
import type { Advisory, Exploitation, Remediation } from '../../model/advisory.js';
import { describeChange, type MaterialChange } from '../../model/changes.js';
import type { Confidence } from '../../model/match.js';
import type { Severity, SeveritySource } from '../../model/severity.js';

/**
 * The event names of issue 8. `*.updated` only follows a material change (quiet revisions), so a
 * receiver may re-open a ticket on it; `data.changes` says what changed. `reminder.due` is an
 * apply-by or planned-day reminder (src/remind/), with `data.reminder` saying which.
 */
export type WebhookEventType =
  | 'advisory.created'
  | 'advisory.updated'
  | 'advance_notice.created'
  | 'advance_notice.updated'
  | 'reminder.due';

/** One material change: the machine-readable diff plus the sentence the other channels show. */
export type WebhookChange = MaterialChange & { readonly text: string };

/** One of our inventory items the advisory hits, with the deadline that applies to it. */
export interface WebhookMatch {
  readonly item: {
    readonly name: string;
    readonly collection: string;
    readonly location: string | null;
    readonly instances: number;
    readonly version: string | null;
    /** Internet-facing (inventory `exposed`); the bod-26-04 apply-by rule weighs it. */
    readonly exposed: boolean;
  };
  readonly reason: string;
  readonly confidence: Confidence;
  readonly applyBy: string | null;
  readonly applyByRule: string;
}

/** The JSON a receiver gets; a public contract, so fields are added, never renamed or removed. */
export interface WebhookPayload {
  readonly type: WebhookEventType;
  /** ISO 8601 time of this attempt. */
  readonly timestamp: string;
  readonly data: {
    readonly id: string;
    readonly title: string;
    readonly url: string | null;
    readonly severity: Severity;
    readonly severitySource: SeveritySource;
    readonly cves: readonly string[];
    readonly exploited: Exploitation;
    readonly applyBy: string | null;
    readonly applyByRule: string;
    readonly matches: readonly WebhookMatch[];
    readonly remediation: Remediation;
    /** Empty for a new advisory; for `*.updated`, what changed since the last alerted revision. */
    readonly changes: readonly WebhookChange[];
    readonly advisory: Advisory;
    /** `reminder.due` only: which reminder (before / due-today / overdue / planned-day), its date and days left. */
    readonly reminder?: AlertReminder;
  };
}

/** Pure: the same alert and time give the same payload (absent optionals become null, never missing). */
export function buildWebhookPayload(alert: Alert, now: Date): WebhookPayload {
  const a = alert.advisory;
  return {
    type: eventType(alert),
    timestamp: now.toISOString(),
    data: {
      id: a.id,
      title: a.title,
      url: a.url ?? null,
      severity: a.severity,
      severitySource: a.severitySource,
      cves: a.cves,
      exploited: a.exploited,
      applyBy: alert.applyBy,
      applyByRule: alert.applyByRule,
      matches: alert.matches.map((m) => ({
        item: {
          name: m.item.name,
          collection: m.item.collection,
          location: m.item.location ?? null,
          instances: m.item.instances,
          version: m.item.version ?? null,
          exposed: m.item.exposed === true,
        },
        reason: m.reason,
        confidence: m.confidence,
        applyBy: m.applyBy,
        applyByRule: m.applyByRule,
      })),
      remediation: a.remediation,
      changes: (alert.changes ?? []).map((c) => ({ ...c, text: describeChange(c) })),
      advisory: a,
      ...(alert.reminder ? { reminder: alert.reminder } : {}),
    },
  };
}

/** advisory.* or advance_notice.*, created for a new item and updated for a material revision. */
export function eventType(alert: Alert): WebhookEventType {
  if (alert.reminder) return 'reminder.due';
  const noun = alert.advisory.kind === 'advance-notice' ? 'advance_notice' : 'advisory';
  return `${noun}.${alert.change === 'new' ? 'created' : 'updated'}`;
}
