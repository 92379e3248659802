// The deliver stage for a digest subscriber, the same in both runners. Its alerts are recorded as
// usual (one delivery per subscription, item and revision) and stay pending until their window
// closes; then whichever member's turn comes first claims the window's FIRST member (the claim
// makes it the only sender), freezes the member list on it, sends ONE message and marks all.
import { digestId, digestRenderTime, heldBy, type Digest } from '../deliver/digest/digest.js';
import { DEFAULT_DIGEST_TIME_ZONE, windowOf, type DigestWindow } from '../deliver/digest/window.js';
import type { Alert, DeliveryResult } from '../deliver/channel.js';
import { describeError } from '../errors.js';
import type { DeliverySchedule, DigestSettings } from '../model/subscription.js';
import { withAckLinks } from '../remind/ack-link.js';
import { oldestFirst } from '../store/rows.js';
import type { DeliveryProgress, DeliveryRecord } from '../store/store.js';
import { claimAndRun, notReady, partProgress, settle, type DeliverStep } from './deliver-alerts.js';
import type { Deps } from './deps.js';
import { storeChannel } from './store-subscriptions.js';

/** A subscription's digest settings, from the config or the store; undefined when it is gone. */
export async function digestSettingsOf(deps: Deps, subscriptionId: string): Promise<DigestSettings | undefined> {
  const configured = deps.config.subscriptions.find((s) => s.id === subscriptionId);
  if (configured) {
    const d = configured.delivery;
    const delivery: DeliverySchedule | undefined = d && { mode: d.mode, every: d.every, ...(d.at ? { at: d.at } : {}), ...(d.timeZone ? { timeZone: d.timeZone } : {}) };
    return { ...(delivery ? { delivery } : {}), ...(configured.bypassDigest ? { bypassDigest: configured.bypassDigest } : {}) };
  }
  return (await deps.store.getSubscription(subscriptionId))?.settings;
}

/** The schedule this delivery waits for, read at send time (a subscriber who switches to immediate gets the rest at once). */
export async function heldSchedule(deps: Deps, record: DeliveryRecord): Promise<DeliverySchedule | undefined> {
  const settings = await digestSettingsOf(deps, record.subscriptionId);
  return settings ? heldBy(settings, record.payload as Alert) : undefined;
}

/**
 * One member's turn: wait for the window to close, then send the window's digest (or find it
 * sent). What is returned is about `record`: `sent` when this turn sent the digest holding it.
 */
export async function deliverDigest(deps: Deps, record: DeliveryRecord, schedule: DeliverySchedule): Promise<DeliverStep> {
  const now = deps.clock.now().getTime();
  const window = windowOf(schedule, new Date(record.createdAt));
  if (now < window.end.getTime()) return { outcome: 'not-yet', retryAt: window.end.getTime() };
  const members = await heldMembers(deps, record.subscriptionId, window);
  const start = window.start.toISOString();
  // A digest frozen by an earlier attempt is resent as it was; otherwise the oldest member leads.
  const lead = members.find((m) => m.progress?.digest?.windowStart === start) ?? members[0];
  if (!lead) return { outcome: 'not-yet', retryAt: now };
  if (lead.key !== record.key) {
    const waiting = notReady(lead, now);
    if (waiting) return waiting;
  }
  const step = await claimAndRun(deps, lead, (claimed) => attemptDigest(deps, claimed, members, schedule, window));
  if (lead.key === record.key) return step;
  const mine = await deps.store.getDelivery(record.key);
  if (!mine) return { outcome: 'missing' };
  if (mine.status === 'sent') return step.outcome === 'sent' ? step : { outcome: 'already-sent' };
  if (mine.status === 'failed') return step.outcome === 'failed' ? step : { outcome: 'already-failed' };
  if (step.outcome === 'retry' || step.outcome === 'claimed' || step.outcome === 'not-yet' || step.outcome === 'held') return step;
  // The window's digest went out without this one (recorded after the members were frozen): it
  // leads a digest of its own on its next turn, under another id.
  return { outcome: 'not-yet', retryAt: now };
}

/** Unsent deliveries of the subscription recorded in the window that wait for a digest, oldest first. */
async function heldMembers(deps: Deps, subscriptionId: string, window: DigestWindow): Promise<DeliveryRecord[]> {
  const settings = await digestSettingsOf(deps, subscriptionId);
  if (!settings) return [];
  const [pending, retry] = await Promise.all([
    deps.store.listDeliveries({ status: 'pending', subscriptionId }),
    deps.store.listDeliveries({ status: 'retry', subscriptionId }),
  ]);
  const from = window.start.getTime();
  const to = window.end.getTime();
  return [...pending, ...retry]
    .filter((d) => {
      const at = Date.parse(d.createdAt);
      return at >= from && at < to && heldBy(settings, d.payload as Alert) !== undefined;
    })
    .sort(oldestFirst);
}

/** One attempt at a window's digest, by the worker holding the claim on its lead member. */
async function attemptDigest(
  deps: Deps,
  lead: DeliveryRecord,
  candidates: readonly DeliveryRecord[],
  schedule: DeliverySchedule,
  window: DigestWindow,
): Promise<'sent' | 'retry' | 'failed'> {
  const attempts = lead.attempts + 1;
  const start = window.start.toISOString();
  let progress: DeliveryProgress = lead.progress ?? {};
  let frozen = progress.digest?.windowStart === start ? progress.digest : undefined;
  if (!frozen) {
    // Frozen before the first send: a crash after sending cannot make the retry a different digest.
    frozen = { id: digestId(lead.subscriptionId, window, lead.key), windowStart: start, windowEnd: window.end.toISOString(), keys: candidates.map((c) => c.key) };
    progress = { digest: frozen };
    await deps.store.saveDeliveryProgress(lead.key, progress);
  }
  const records = await membersByKey(deps, frozen.keys, candidates);
  // The lead last: until it is marked, the digest is due again and resent whole under the same id.
  const keys = [...records.filter((r) => r.key !== lead.key && r.status !== 'sent').map((r) => r.key), lead.key];
  const log = deps.log.child({ digest: frozen.id, subscription: lead.subscriptionId, members: records.length, attempts });
  const channel = deps.channels.get(lead.subscriptionId) ?? (await storeChannel(deps, lead.subscriptionId));
  if (!channel) return settle(deps, keys, attempts, { status: 'failed', reason: `subscription ${lead.subscriptionId} no longer exists` }, log);
  if (!channel.sendDigest) return settle(deps, keys, attempts, { status: 'failed', reason: `${channel.kind} channel cannot send digests` }, log);
  const digest: Digest = {
    id: frozen.id,
    subscriptionId: lead.subscriptionId,
    every: schedule.every ?? 'daily',
    timeZone: schedule.timeZone ?? DEFAULT_DIGEST_TIME_ZONE,
    windowStart: frozen.windowStart,
    windowEnd: frozen.windowEnd,
    // Signed per matched item like a single alert's, but dated at the window's end (the digest's
    // render time), so a resend after a crash is the same message, links included.
    alerts: records.map((r) => withAckLinks(r.payload as Alert, { baseUrl: deps.config.http.publicUrl, secret: deps.config.linkSecret, now: digestRenderTime(frozen) })),
  };
  let result: DeliveryResult;
  try {
    result = await channel.sendDigest(digest, { http: deps.http, clock: deps.clock, log: deps.log, parts: partProgress(deps, lead.key, progress) });
  } catch (err) {
    result = { status: 'retry', reason: describeError(err) };
  }
  return settle(deps, keys, attempts, result, log);
}

/** The frozen members as records (already in hand, or read back), in frozen order; vanished ones are skipped. */
async function membersByKey(deps: Deps, keys: readonly string[], known: readonly DeliveryRecord[]): Promise<DeliveryRecord[]> {
  const byKey = new Map(known.map((r) => [r.key, r]));
  const out: DeliveryRecord[] = [];
  for (const key of keys) {
    const record = byKey.get(key) ?? (await deps.store.getDelivery(key));
    if (record) out.push(record);
  }
  return out;
}
