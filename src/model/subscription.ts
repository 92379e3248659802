import type { Severity } from './severity.js';

/** Channels a subscription kept in the store can use (config subscriptions have their own schema). */
export const SUBSCRIPTION_CHANNELS = ['email', 'webhook', 'slack'] as const;
export type SubscriptionChannel = (typeof SUBSCRIPTION_CHANNELS)[number];

/**
 * `pending`: created, waiting for the double opt-in (email) — never alerted; `active`: alerted;
 * `unsubscribed`: kept for the record, never alerted again.
 */
export const SUBSCRIPTION_STATUSES = ['pending', 'active', 'unsubscribed'] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

/** What a subscriber wants to hear about: advisories, advance notices, apply-by reminders. */
export const ALERT_KINDS = ['advisory', 'advance-notice', 'reminder'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/** The filters config and store subscriptions share (planAlerts reads only these). */
export interface SubscriptionFilters {
  readonly minSeverity: Severity;
  /** Only advisories that hit the inventory (true), or everything over the floor (false). */
  readonly matchedOnly: boolean;
  /** Restrict to these source ids; every source when absent. */
  readonly sources?: readonly string[];
  /** Kinds to alert on; every kind when absent. */
  readonly kinds?: readonly AlertKind[];
}

/**
 * Everything about how a subscription is served, stored as one JSON document so later fields
 * (issue 8: `delivery: { mode: 'digest', every: 'daily', at, timeZone }`, digest bypass for
 * critical/KEV) need no schema migration: add an optional field here and read it where planned.
 */
export interface SubscriptionSettings extends SubscriptionFilters {
  /** Webhook channel only: the Standard Webhooks signing secret (whsec_…); never listed by the API. */
  readonly webhookSecret?: string;
}

/** A subscription kept in the store (created by the API or by email double opt-in). */
export interface Subscription {
  /** `S` + 24 hex digits: upper case, so it can never equal a config subscription id (lower case). */
  readonly id: string;
  readonly channel: SubscriptionChannel;
  /** Email address, or webhook / Slack incoming-webhook URL. */
  readonly target: string;
  readonly settings: SubscriptionSettings;
  readonly status: SubscriptionStatus;
  readonly createdAt: string; // ISO 8601
  readonly updatedAt: string; // ISO 8601
}

/** "applied" / "not-applicable": a person said this match needs no more reminders. */
export const ACK_STATUSES = ['applied', 'not-applicable'] as const;
export type AckStatus = (typeof ACK_STATUSES)[number];

/** An acknowledgement of one match: the advisory and the inventory item (collection + name). */
export interface Acknowledgement {
  readonly advisoryId: string;
  readonly itemCollection: string;
  readonly itemName: string;
  readonly status: AckStatus;
  readonly note?: string;
  readonly acknowledgedAt: string; // ISO 8601
}
