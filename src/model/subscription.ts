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
  /** Apply-by reminders this many whole days before the date, e.g. ["3d", "0d"] (src/remind/; the default when absent). */
  readonly remindBefore?: readonly string[];
}

/** How often a digest subscriber hears from us. */
export const DIGEST_EVERY = ['hourly', 'daily'] as const;
export type DigestEvery = (typeof DIGEST_EVERY)[number];

/** Items that skip a digest and go out at once: critical severity, or in CISA's KEV catalog. */
export const DIGEST_BYPASS = ['critical', 'kev'] as const;
export type DigestBypass = (typeof DIGEST_BYPASS)[number];

/**
 * `immediate`: one message per alert (the default). `digest`: alerts are recorded as usual but held
 * until their window closes — every hour, or daily at `at` (HH:MM, default 08:00) in `timeZone`
 * (IANA, default UTC) — and then sent as one message per window.
 */
export interface DeliverySchedule {
  readonly mode: 'immediate' | 'digest';
  readonly every?: DigestEvery;
  readonly at?: string;
  readonly timeZone?: string;
}

/** The digest part of a subscription, config or store alike (src/deliver/digest/ reads it). */
export interface DigestSettings {
  readonly delivery?: DeliverySchedule;
  /** What skips the digest; `['critical', 'kev']` when absent, `[]` holds everything. */
  readonly bypassDigest?: readonly DigestBypass[];
}

/**
 * Everything about how a subscription is served, stored as one JSON document so later fields
 * (issue 8: `delivery: { mode: 'digest', every: 'daily', at, timeZone }`, digest bypass for
 * critical/KEV) need no schema migration: add an optional field here and read it where planned.
 */
export interface SubscriptionSettings extends SubscriptionFilters, DigestSettings {
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
