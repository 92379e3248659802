import type { Advisory } from '../model/advisory.js';
import type { MaterialChange } from '../model/changes.js';
import type { Match } from '../model/match.js';
import type { Validators } from '../net/http-client.js';
import type { InventoryStore } from './inventory-store.js';
import type { SubscriptionStore } from './subscription-store.js';

/**
 * One store contract, two dialects (SQLite now, PostgreSQL later). Every method is atomic on its
 * own (one transaction inside), so callers never hold a transaction across awaits. Every write is
 * idempotent: calling it twice with the same input leaves the same state.
 */
export interface Store extends SubscriptionStore, InventoryStore {
  /**
   * Insert or update advisories (the `revision` field of the input is ignored). Per advisory:
   * `new` (first time, revision 1), `revised` (material change: revision + 1, kept in history),
   * `updated` (non-material change: same revision, row updated), `unchanged` (identical).
   */
  upsertAdvisories(advisories: readonly Advisory[], seenAt: Date): Promise<UpsertOutcome[]>;
  getAdvisory(id: string): Promise<StoredAdvisory | undefined>;
  /** The stored advisories among these ids, ordered by id; unknown ids are skipped. One read for many (the remind stage). */
  getAdvisories(ids: readonly string[]): Promise<StoredAdvisory[]>;
  /** Most recently changed first. */
  listAdvisories(query?: { limit?: number; sourceId?: string }): Promise<StoredAdvisory[]>;
  /** Every stored revision of one advisory, oldest first. */
  listRevisions(id: string): Promise<Advisory[]>;
  /**
   * The advisories naming any of these CVEs (compared upper-case), by id: every source's view of
   * the same issue, which src/merge/ groups into one logical item. Kept current by upsertAdvisories.
   */
  listAdvisoriesByCves(cves: readonly string[]): Promise<StoredAdvisory[]>;

  getSourceState(sourceId: string): Promise<SourceState | undefined>;
  /** The states of these sources in one query, by source id; a source never saved has no entry. */
  getSourceStates(sourceIds: readonly string[]): Promise<Map<string, SourceState>>;
  saveSourceState(state: SourceState): Promise<void>;
  /**
   * Save several states in one transaction (all or none), each replacing its source's old state
   * whole as saveSourceState does; the same source twice keeps the last. A poll cycle saves its
   * 304s' states this way, once at its end, instead of one write per source.
   */
  saveSourceStates(states: readonly SourceState[]): Promise<void>;

  /** Keep the exact bytes of a fetched document, addressed by SHA-256 (idempotent). */
  putDocument(doc: StoredDocument): Promise<void>;
  getDocument(sha256: string): Promise<StoredDocument | undefined>;

  /** Replace the matches of one advisory (a re-match after inventory or advisory change). */
  replaceMatches(advisoryId: string, matches: readonly Match[]): Promise<void>;
  /** Matches of the given advisories (all when omitted). */
  listMatches(advisoryIds?: readonly string[]): Promise<Match[]>;
  /**
   * Ids of the advisories with a match whose apply-by day (its first 10 characters, YYYY-MM-DD) lies
   * in [fromDay, toDay], sorted: the remind stage's candidates, without reading every match.
   */
  listAdvisoryIdsByApplyBy(fromDay: string, toDay: string): Promise<string[]>;

  /**
   * Record a planned delivery under its unique key. `created` the first time; `exists` if that
   * key was ever recorded — this is what makes a second cycle send nothing twice.
   */
  createDelivery(delivery: NewDelivery): Promise<'created' | 'exists'>;
  /** Deliveries still to attempt: pending, or retry whose nextAttemptAt has come; not claimed (or the claim expired). */
  listDueDeliveries(now: Date, limit?: number): Promise<DeliveryRecord[]>;
  /**
   * Claim due deliveries (as listDueDeliveries: oldest first, up to `limit`, only `key` if given)
   * for one attempt, in ONE statement: two workers racing never both get the same delivery. The
   * claim lasts until now + leaseMs; `updateDelivery` (the attempt's outcome) releases it, and a
   * claim left by a worker that died expires, making the delivery due again.
   */
  claimDeliveries(claim: DeliveryClaim): Promise<DeliveryRecord[]>;
  /** One delivery by its key: a queued deliver job carries only the key and re-reads the state here. */
  getDelivery(key: string): Promise<DeliveryRecord | undefined>;
  updateDelivery(key: string, update: DeliveryUpdate): Promise<void>;
  /**
   * Record how far the current attempt got (parts accepted, a digest's members) without touching
   * status or claim: written after each accepted part, read by the next attempt.
   */
  saveDeliveryProgress(key: string, progress: DeliveryProgress): Promise<void>;
  /**
   * An operator's retry of a delivery that failed for good: `failed` → `pending`, atomically (one
   * statement), so the runners pick it up again. `attempts` is kept (the history of what was
   * tried), and so is `lastError` (why it failed, until the next attempt records its own outcome);
   * `nextAttemptAt` becomes `now` (when it was put back), `sentAt` stays empty. A delivery in any
   * other state is left alone (`not-failed`); an unknown key is `missing`.
   */
  retryDelivery(key: string, now: Date): Promise<RetryDeliveryResult>;
  /** Oldest first; `advisoryIds` keeps those of the given advisories (a merged alert checks its siblings'). */
  listDeliveries(query?: { status?: DeliveryStatus; subscriptionId?: string; advisoryIds?: readonly string[]; limit?: number }): Promise<DeliveryRecord[]>;

  /**
   * Keep a document that failed its source's verify policy (never alerted, never dropped).
   * `exists` when that (source, url, sha256) is already kept: a re-poll adds no second row.
   */
  quarantineDocument(entry: NewQuarantineEntry): Promise<'created' | 'exists'>;
  /** Quarantined documents, newest first. */
  listQuarantine(query?: { sourceId?: string; limit?: number }): Promise<QuarantineEntry[]>;

  close(): Promise<void>;
}

export interface NewQuarantineEntry {
  readonly sourceId: string;
  readonly url: string;
  /** The document's bytes are in `documents` under this hash. */
  readonly sha256: string;
  /** The signature status that failed the policy ("bad", "unknown-key", "unsigned"). */
  readonly status: string;
  readonly reason: string;
  /** The verify stage's record (hash checks, each step), JSON-serialisable. */
  readonly checks: unknown;
  readonly quarantinedAt: Date;
}

export interface QuarantineEntry extends Omit<NewQuarantineEntry, 'quarantinedAt'> {
  readonly quarantinedAt: string;
}

export type UpsertStatus = 'new' | 'revised' | 'updated' | 'unchanged';

export interface UpsertOutcome {
  readonly id: string;
  readonly status: UpsertStatus;
  /** The advisory as stored, with its revision number. */
  readonly advisory: Advisory;
  /** For 'revised' only: what changed materially since the previous revision (src/model/changes.ts). */
  readonly changes?: readonly MaterialChange[];
}

export interface StoredAdvisory {
  readonly advisory: Advisory;
  readonly firstSeen: string; // ISO 8601
  readonly updatedAt: string; // ISO 8601: when we last stored a change
}

export interface SourceState {
  readonly sourceId: string;
  readonly validators: Validators;
  /** Source-specific cursor (e.g. what a catalog held last time), JSON-serialisable. */
  readonly cursor?: unknown;
  readonly lastPollAt?: string;
  readonly lastSuccessAt?: string;
  readonly lastError?: string;
}

export interface StoredDocument {
  readonly sha256: string;
  readonly sourceId: string;
  readonly url: string;
  readonly contentType?: string;
  readonly body: Uint8Array;
  readonly fetchedAt: string;
}

export type DeliveryStatus = 'pending' | 'retry' | 'sent' | 'failed';

export interface NewDelivery {
  /** `${subscriptionId}:${advisoryId}:${revision}` — unique, enforced by the database. */
  readonly key: string;
  readonly subscriptionId: string;
  readonly advisoryId: string;
  readonly revision: number;
  readonly channel: string;
  /** The alert as it will be sent, kept so a retry sends exactly what was planned. */
  readonly payload: unknown;
  readonly createdAt: Date;
}

export interface DeliveryRecord extends Omit<NewDelivery, 'createdAt'> {
  readonly status: DeliveryStatus;
  readonly attempts: number;
  readonly createdAt: string;
  readonly nextAttemptAt?: string;
  readonly sentAt?: string;
  readonly lastError?: string;
  /** Set while a worker holds a claim on it (claimDeliveries); cleared by the attempt's update. */
  readonly claimedUntil?: string;
  /** Progress inside an attempt (saveDeliveryProgress); kept across retries. */
  readonly progress?: DeliveryProgress;
}

/** What a multi-part send or a digest has done so far; JSON in the store. */
export interface DeliveryProgress {
  /** Parts of the split message the receiver accepted, in order (the next attempt starts after them). */
  readonly partsSent?: number;
  /** A digest's identity and members, frozen before its first send so every retry sends the same digest. */
  readonly digest?: { readonly id: string; readonly windowStart: string; readonly windowEnd: string; readonly keys: readonly string[] };
}

export interface DeliveryClaim {
  readonly now: Date;
  /** How long the claim holds: longer than one send can take (the channel's timeout). */
  readonly leaseMs: number;
  readonly key?: string;
  readonly limit?: number;
}

export type RetryDeliveryResult =
  | { readonly outcome: 'retried' | 'not-failed'; readonly delivery: DeliveryRecord }
  | { readonly outcome: 'missing' };

export interface DeliveryUpdate {
  readonly status: DeliveryStatus;
  readonly attempts: number;
  readonly nextAttemptAt?: Date;
  readonly sentAt?: Date;
  readonly lastError?: string;
}

/** The delivery key of DESIGN.md: one alert per (subscription, advisory, revision). */
export function deliveryKey(subscriptionId: string, advisoryId: string, revision: number): string {
  return `${subscriptionId}:${advisoryId}:${revision}`;
}
