// Row shapes as both dialects SELECT them (same column names, JSON kept as text), and their
// mapping to the contract's types: one mapping, so SQLite and PostgreSQL cannot drift apart.
import type { Advisory } from '../model/advisory.js';
import { materialChanges, type MaterialChange } from '../model/changes.js';
import type { Validators } from '../net/http-client.js';
import type { DeliveryProgress, DeliveryRecord, DeliveryStatus, SourceState, StoredAdvisory, StoredDocument, UpsertStatus } from './store.js';

type Nullable = string | null;
/** An advisory row: the stored JSON and its bookkeeping dates. */
export interface AdvisoryRow { json: string; first_seen: string; updated_at: string }
/** A source_state row; nullable columns hold the contract's optional fields. */
export interface SourceStateRow { source_id: string; validators: string; cursor: Nullable; last_poll_at: Nullable; last_success_at: Nullable; last_error: Nullable }
/** A documents row; both drivers return the BLOB/BYTEA as a Buffer. */
export interface DocumentRow { sha256: string; source_id: string; url: string; content_type: Nullable; body: Buffer; fetched_at: string }
/** A deliveries row. */
export interface DeliveryRow {
  key: string; subscription_id: string; advisory_id: string; revision: number; channel: string; payload: string; status: DeliveryStatus;
  attempts: number; created_at: string; next_attempt_at: Nullable; sent_at: Nullable; last_error: Nullable; claimed_until: Nullable;
  progress: Nullable;
}

/** Row → contract type, the same shape the SQLite adapter returns. */
export function toStoredAdvisory(r: AdvisoryRow): StoredAdvisory {
  return { advisory: JSON.parse(r.json) as Advisory, firstSeen: r.first_seen, updatedAt: r.updated_at };
}

/** Row → contract type; absent fields stay absent (not undefined-valued). */
export function toSourceState(r: SourceStateRow): SourceState {
  return {
    sourceId: r.source_id,
    validators: JSON.parse(r.validators) as Validators,
    ...(r.cursor === null ? {} : { cursor: JSON.parse(r.cursor) as unknown }),
    ...(r.last_poll_at === null ? {} : { lastPollAt: r.last_poll_at }),
    ...(r.last_success_at === null ? {} : { lastSuccessAt: r.last_success_at }),
    ...(r.last_error === null ? {} : { lastError: r.last_error }),
  };
}

/** Row → contract type, with a plain Uint8Array body whichever adapter is used. */
export function toDocument(r: DocumentRow): StoredDocument {
  return {
    sha256: r.sha256,
    sourceId: r.source_id,
    url: r.url,
    ...(r.content_type === null ? {} : { contentType: r.content_type }),
    body: new Uint8Array(r.body.buffer, r.body.byteOffset, r.body.byteLength),
    fetchedAt: r.fetched_at,
  };
}

/** Row → contract type. */
export function toDelivery(r: DeliveryRow): DeliveryRecord {
  return {
    key: r.key,
    subscriptionId: r.subscription_id,
    advisoryId: r.advisory_id,
    revision: r.revision,
    channel: r.channel,
    payload: JSON.parse(r.payload) as unknown,
    status: r.status,
    attempts: r.attempts,
    createdAt: r.created_at,
    ...(r.next_attempt_at === null ? {} : { nextAttemptAt: r.next_attempt_at }),
    ...(r.sent_at === null ? {} : { sentAt: r.sent_at }),
    ...(r.last_error === null ? {} : { lastError: r.last_error }),
    ...(r.claimed_until === null ? {} : { claimedUntil: r.claimed_until }),
    ...(r.progress === null || r.progress === undefined ? {} : { progress: JSON.parse(r.progress) as DeliveryProgress }),
  };
}

/** Deliveries oldest first, then by key: the order of every delivery list (RETURNING has none). */
export function oldestFirst(a: DeliveryRecord, b: DeliveryRecord): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? -1 : 1;
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

/** The revision bookkeeping of the row an upsert compares against, with the stored advisory JSON. */
export interface CurrentRow { revision: number; material_hash: string; content_hash: string; json: string }

/**
 * The Store contract's upsert rule, shared by both dialects: new → revision 1; a material change
 * (src/model/changes.ts) → revision + 1, with what changed; any other change → same revision,
 * row updated; else unchanged. Equal material hashes rule out a material change without parsing.
 */
export function classifyUpsert(
  cur: CurrentRow | undefined,
  next: Advisory,
  material: string,
  content: string,
): { status: UpsertStatus; revision: number; changes?: MaterialChange[] } {
  if (cur === undefined) return { status: 'new', revision: 1 };
  const changes = cur.material_hash === material ? [] : materialChanges(JSON.parse(cur.json) as Advisory, next);
  if (changes.length > 0) return { status: 'revised', revision: cur.revision + 1, changes };
  const same = cur.material_hash === material && cur.content_hash === content;
  return { status: same ? 'unchanged' : 'updated', revision: cur.revision };
}
