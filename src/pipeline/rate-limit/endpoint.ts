import { createHash } from 'node:crypto';
import type { ChannelKind } from '../../deliver/channel.js';
import type { Deps } from '../deps.js';
import type { Rate } from './limiter.js';

/** The documented per-endpoint limits of chat services; webhook and email are unlimited unless configured. */
export const DEFAULT_RATES: Partial<Record<ChannelKind, Rate>> = {
  slack: { count: 1, windowMs: 1_000 }, // https://api.slack.com/docs/rate-limits#incoming-webhooks
  teams: { count: 4, windowMs: 1_000 }, // Teams connectors/workflows: 4 requests per second
};

/** The limit that applies to one delivery, and the endpoint it is counted under. */
export interface EndpointLimit {
  readonly key: string;
  readonly rate: Rate;
}

/**
 * A subscription's endpoint and its rate: the subscription's `rateLimit`, else `runner.rateLimits`
 * for its channel kind, else the default. The endpoint is the target URL (hashed: a Slack or Teams
 * URL is a credential and must not appear in Redis keys), so two subscriptions posting to one
 * webhook share its budget; without a URL (email, API subscriptions) it is the subscription.
 */
export function endpointLimit(deps: Deps, subscriptionId: string, kind: string): EndpointLimit | undefined {
  const sub = deps.config.subscriptions.find((s) => s.id === subscriptionId);
  const rate = sub?.rateLimit ?? deps.config.runner.rateLimits?.[kind as ChannelKind] ?? DEFAULT_RATES[kind as ChannelKind];
  if (rate === undefined) return undefined;
  const url = sub !== undefined && 'targetUrl' in sub ? sub.targetUrl : undefined;
  const endpoint = url === undefined ? `sub:${subscriptionId}` : createHash('sha256').update(url).digest('hex').slice(0, 24);
  return { key: `${kind}:${endpoint}`, rate };
}
