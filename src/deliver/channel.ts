import type { Advisory } from '../model/advisory.js';
import type { Digest } from './digest/digest.js';
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
  /** Set on an apply-by or planned-day reminder (src/remind/): every channel says it is one. */
  readonly reminder?: AlertReminder;
  /** Signed "Mark applied" / "Not applicable" links per matched item, added when sent (src/remind/ack-link.ts). */
  readonly ackLinks?: readonly AckLinks[];
}

/** What a reminder is about: `before` the apply-by day, `due-today`, `overdue` (once), or an advance notice's `planned-day`. */
export interface AlertReminder {
  readonly kind: 'before' | 'due-today' | 'overdue' | 'planned-day';
  /** The apply-by day (or the planned release day), YYYY-MM-DD. */
  readonly date: string;
  /** Whole days from today (UTC) to `date`: negative once overdue. */
  readonly daysLeft: number;
  /** The sentence channels show: "Reminder: apply by 2026-12-01 — 3 days left". */
  readonly text: string;
}

/** The acknowledgement links of one matched item: each URL carries its own signature and expiry. */
export interface AckLinks {
  readonly itemName: string;
  readonly itemCollection: string;
  readonly applied: string;
  readonly notApplicable: string;
}

export interface DeliveryContext {
  readonly http: HttpClient;
  readonly clock: Clock;
  readonly log: Logger;
  readonly signal?: AbortSignal;
  /** A message sent in parts (split Slack/Teams, digests): what a receiver already accepted, and how to record more. */
  readonly parts?: PartProgress;
}

/** Parts before `sent` were accepted on an earlier attempt and are skipped; `accepted(n)` records each new one. */
export interface PartProgress {
  readonly sent: number;
  accepted(partsSent: number): Promise<void>;
}

/** Expected outcomes are values: a channel throws only for the unexpected. */
export type DeliveryResult =
  | { readonly status: 'sent'; readonly remoteId?: string }
  | { readonly status: 'retry'; readonly reason: string; readonly afterMs?: number }
  | { readonly status: 'failed'; readonly reason: string };

export interface Channel {
  readonly kind: ChannelKind;
  send(alert: Alert, ctx: DeliveryContext): Promise<DeliveryResult>;
  /** Many alerts of one digest window as one message (or its parts); src/deliver/digest/. */
  sendDigest?(digest: Digest, ctx: DeliveryContext): Promise<DeliveryResult>;
  close?(): Promise<void>;
}
