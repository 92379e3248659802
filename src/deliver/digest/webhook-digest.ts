// A digest for a Standard Webhooks receiver: ONE signed POST per window (webhook-id = digest id),
// each item the same `{type, data}` an immediate alert would carry, so a receiver that handles
// alerts handles a digest by looping over `data.items`.
import { buildWebhookPayload, type WebhookPayload } from '../webhook/payload.js';
import { digestRenderTime, type Digest } from './digest.js';

export interface WebhookDigestPayload {
  readonly type: 'digest.created';
  /** ISO 8601 time of this attempt. */
  readonly timestamp: string;
  readonly data: {
    readonly id: string;
    readonly every: Digest['every'];
    readonly timeZone: string;
    readonly windowStart: string;
    readonly windowEnd: string;
    readonly count: number;
    readonly items: readonly Pick<WebhookPayload, 'type' | 'data'>[];
  };
}

export function buildWebhookDigest(digest: Digest, now: Date): WebhookDigestPayload {
  const at = digestRenderTime(digest);
  return {
    type: 'digest.created',
    timestamp: now.toISOString(),
    data: {
      id: digest.id,
      every: digest.every,
      timeZone: digest.timeZone,
      windowStart: digest.windowStart,
      windowEnd: digest.windowEnd,
      count: digest.alerts.length,
      items: digest.alerts.map((alert) => {
        const { type, data } = buildWebhookPayload(alert, at);
        return { type, data };
      }),
    },
  };
}
