// Standard Webhooks payload structure: https://www.standardwebhooks.com/ ("type", "timestamp", "data")
import type { Alert } from '../channel.js';
import type { Advisory, Exploitation, Remediation } from '../../model/advisory.js';
import type { Confidence } from '../../model/match.js';
import type { Severity, SeveritySource } from '../../model/severity.js';

/** `advisory.revised` only follows a material change (quiet revisions), so receivers may re-open tickets on it. */
export type WebhookEventType = 'advisory.new' | 'advisory.revised';

/** One of our inventory items the advisory hits, with the deadline that applies to it. */
export interface WebhookMatch {
  readonly item: {
    readonly name: string;
    readonly collection: string;
    readonly location: string | null;
    readonly instances: number;
    readonly version: string | null;
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
    readonly advisory: Advisory;
  };
}

/** Pure: the same alert and time give the same payload (absent optionals become null, never missing). */
export function buildWebhookPayload(alert: Alert, now: Date): WebhookPayload {
  const a = alert.advisory;
  return {
    type: alert.change === 'new' ? 'advisory.new' : 'advisory.revised',
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
        },
        reason: m.reason,
        confidence: m.confidence,
        applyBy: m.applyBy,
        applyByRule: m.applyByRule,
      })),
      remediation: a.remediation,
      advisory: a,
    },
  };
}
