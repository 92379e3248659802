// The subscription, acknowledgement and advisory-query part of the Store contract (migration 6),
// kept apart from store.ts so the HTTP service's storage needs read in one place.
import type { Advisory } from '../model/advisory.js';
import type { AckStatus, Acknowledgement, Subscription, SubscriptionChannel, SubscriptionSettings, SubscriptionStatus } from '../model/subscription.js';
import type { Severity } from '../model/severity.js';
import { StoreError } from '../errors.js';
import { publishedBounds, queryWordsOf, type PublishedBounds } from './search-words.js';
import type { StoredAdvisory } from './store.js';

export interface SubscriptionStore {
  /**
   * Store a new subscription with its first access token (only the token's SHA-256 is kept).
   * Refuses an id that exists (StoreError): ids are random, a clash is a bug.
   */
  createSubscription(subscription: Subscription, tokenHash: string): Promise<void>;
  getSubscription(id: string): Promise<Subscription | undefined>;
  /** The subscription a token (given as its SHA-256 hex) belongs to. */
  findSubscriptionByToken(tokenHash: string): Promise<Subscription | undefined>;
  /** Another token for the same subscription (e.g. one per alert email's unsubscribe link). */
  addSubscriptionToken(subscriptionId: string, tokenHash: string, createdAt: Date): Promise<void>;
  /** Oldest first. */
  listSubscriptions(query?: { status?: SubscriptionStatus; channel?: SubscriptionChannel; limit?: number }): Promise<Subscription[]>;
  /** Change status, target or settings (settings replace the old ones whole); undefined when no such id. */
  updateSubscription(id: string, update: SubscriptionUpdate, at: Date): Promise<Subscription | undefined>;
  /** Remove a subscription and every token of it; false when there was none. Its deliveries stay on record. */
  deleteSubscription(id: string): Promise<boolean>;

  /** Record (or replace) the acknowledgement of one match. */
  acknowledge(ack: NewAcknowledgement): Promise<Acknowledgement>;
  /** Withdraw it; false when there was none. */
  removeAcknowledgement(advisoryId: string, itemCollection: string, itemName: string): Promise<boolean>;
  /** Acknowledgements of the given advisories (all when omitted), by advisory then item. */
  listAcknowledgements(advisoryIds?: readonly string[]): Promise<Acknowledgement[]>;

  /** Advisories by filter, most recently changed first, a page at a time (keyset cursor). */
  queryAdvisories(query: AdvisoryQuery): Promise<AdvisoryPage>;
}

export interface SubscriptionUpdate {
  readonly status?: SubscriptionStatus;
  readonly target?: string;
  readonly settings?: SubscriptionSettings;
}

export interface NewAcknowledgement {
  readonly advisoryId: string;
  readonly itemCollection: string;
  readonly itemName: string;
  readonly status: AckStatus;
  readonly note?: string;
  readonly acknowledgedAt: Date;
}

export interface AdvisoryQuery {
  readonly limit: number;
  readonly severities?: readonly Severity[];
  readonly sourceIds?: readonly string[];
  readonly kinds?: readonly Advisory['kind'][];
  /** One CVE id the advisory lists (case-insensitive). */
  readonly cve?: string;
  /** true: only advisories with a match; false: only those without. */
  readonly matched?: boolean;
  /** Changed (stored) at or after this ISO 8601 instant. */
  readonly since?: string;
  /**
   * Search words (any case, any order): every one must be a whole word of the advisory's id, title,
   * a CVE id, an alias or a product (vendor and name); see src/store/search-words.ts. Text without
   * letters or digits filters nothing.
   */
  readonly text?: string;
  /** Published on or after this day (YYYY-MM-DD, UTC) or instant (ISO 8601). */
  readonly publishedFrom?: string;
  /** Published on or before this day (YYYY-MM-DD: the whole day, UTC) or instant (ISO 8601). */
  readonly publishedTo?: string;
  /** `nextCursor` of the previous page. */
  readonly cursor?: string;
}

export interface AdvisoryPage {
  readonly items: StoredAdvisory[];
  /** Present when there may be more. */
  readonly nextCursor?: string;
}

/** Where a page ended: the last row's (updated_at, id), in the list's order. */
export interface AdvisoryCursor {
  readonly updatedAt: string;
  readonly id: string;
}

/** Opaque to clients: base64url of the JSON pair. */
export function encodeAdvisoryCursor(c: AdvisoryCursor): string {
  return Buffer.from(JSON.stringify([c.updatedAt, c.id])).toString('base64url');
}

/** undefined when the text is not a cursor we made (the API answers 400). */
export function decodeAdvisoryCursor(text: string): AdvisoryCursor | undefined {
  try {
    const v = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string') return { updatedAt: v[0], id: v[1] };
  } catch {
    // not JSON: not ours
  }
  return undefined;
}

/** Cut a `limit + 1` fetch into a page and the cursor after it. */
export function toAdvisoryPage(rows: StoredAdvisory[], limit: number): AdvisoryPage {
  if (rows.length <= limit) return { items: rows };
  const items = rows.slice(0, limit);
  const last = items[items.length - 1]!;
  return { items, nextCursor: encodeAdvisoryCursor({ updatedAt: last.updatedAt, id: last.advisory.id }) };
}

/** The words a query's `text` asks for; undefined (no text filter) when it has none. */
export function searchFilterWords(text: string | undefined): string[] | undefined {
  const words = text === undefined ? [] : queryWordsOf(text);
  return words.length === 0 ? undefined : words;
}

/** The query's published-date range as column bounds; a value that is no date is a StoreError naming it. */
export function checkedPublishedBounds(query: Pick<AdvisoryQuery, 'publishedFrom' | 'publishedTo'>): PublishedBounds {
  try {
    return publishedBounds(query.publishedFrom, query.publishedTo);
  } catch (err) {
    throw new StoreError(`queryAdvisories: ${(err as Error).message}`);
  }
}

/** A subscriptions row as both dialects select it. */
export interface SubscriptionRow { id: string; channel: SubscriptionChannel; target: string; settings: string; status: SubscriptionStatus; created_at: string; updated_at: string }
/** An acknowledgements row. */
export interface AckRow { advisory_id: string; item_collection: string; item_name: string; status: AckStatus; note: string | null; acknowledged_at: string }

export function toSubscription(r: SubscriptionRow): Subscription {
  return { id: r.id, channel: r.channel, target: r.target, settings: JSON.parse(r.settings) as SubscriptionSettings, status: r.status, createdAt: r.created_at, updatedAt: r.updated_at };
}

export function toAcknowledgement(r: AckRow): Acknowledgement {
  return {
    advisoryId: r.advisory_id,
    itemCollection: r.item_collection,
    itemName: r.item_name,
    status: r.status,
    ...(r.note === null ? {} : { note: r.note }),
    acknowledgedAt: r.acknowledged_at,
  };
}
