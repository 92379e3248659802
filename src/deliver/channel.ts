import type { Advisory } from '../model/advisory.js';
import type { MaterialChange } from '../model/changes.js';
import type { Match } from '../model/match.js';
import type { HttpClient } from '../net/http-client.js';
import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/logger.js';

export type ChannelKind = 'webhook' | 'email' | 'slack' | 'teams';

/**
 * What a channel sends: one advisory for one subscription, with the inventory items it hits and
 * the date to apply the fix by. Plain JSON, stored with the delivery so a retry sends the same.
 */
export interface Alert {
  /** The delivery key; stable across retries (Standard Webhooks `webhook-id`, email Message-ID seed). */
  readonly id: string;
  readonly subscriptionId: string;
  readonly change: 'new' | 'revised';
  readonly advisory: Advisory;
  readonly matches: readonly Match[];
  /** Earliest apply-by across the matches (or the advisory's own when unmatched); null = no date. */
  readonly applyBy: string | null;
  readonly applyByRule: string;
  /** For a revision: what changed materially since the last alerted revision (every channel says it). */
  readonly changes?: readonly MaterialChange[];
  /** Advance notices: "expect a HIGH fix for Node.js 22.x on 2026-07-27", one per release line. */
  readonly planning?: readonly string[];
}

export interface DeliveryContext {
  readonly http: HttpClient;
  readonly clock: Clock;
  readonly log: Logger;
  readonly signal?: AbortSignal;
}

/** Expected outcomes are values: a channel throws only for the unexpected. */
export type DeliveryResult =
  | { readonly status: 'sent'; readonly remoteId?: string }
  | { readonly status: 'retry'; readonly reason: string; readonly afterMs?: number }
  | { readonly status: 'failed'; readonly reason: string };

export interface Channel {
  readonly kind: ChannelKind;
  send(alert: Alert, ctx: DeliveryContext): Promise<DeliveryResult>;
  close?(): Promise<void>;
}
