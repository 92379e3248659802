import type { Alert, DeliveryResult, PartProgress } from '../deliver/channel.js';
import { describeError } from '../errors.js';
import { withAckLinks } from '../remind/ack-link.js';
import type { DeliveryProgress, DeliveryRecord, DeliveryUpdate } from '../store/store.js';
import type { Logger } from '../util/logger.js';
import type { Deps } from './deps.js';
import { deliverDigest, heldSchedule } from './digest-deliver.js';
import { endpointLimit } from './rate-limit/endpoint.js';
import { createMemoryRateLimiter } from './rate-limit/memory.js';
import { storeChannel } from './store-subscriptions.js';

/** Retries stop after this many attempts; the delivery stays recorded as failed, visible and retryable. */
export const MAX_ATTEMPTS = 8;
const BASE_DELAY_MS = 30_000;
const MAX_DELAY_MS = 6 * 3_600_000;

export interface DeliverySummary {
  sent: number;
  retry: number;
  failed: number;
}

/** Record each planned alert under its unique key; returns how many were new (not seen before). */
export async function recordAlerts(deps: Deps, alerts: readonly Alert[]): Promise<number> {
  let created = 0;
  for (const alert of alerts) {
    const channel = deps.channels.get(alert.subscriptionId);
    const outcome = await deps.store.createDelivery({
      key: alert.id,
      subscriptionId: alert.subscriptionId,
      advisoryId: alert.advisory.id,
      revision: alert.advisory.revision,
      channel: channel?.kind ?? (await deps.store.getSubscription(alert.subscriptionId))?.channel ?? 'unknown',
      payload: alert,
      createdAt: deps.clock.now(),
    });
    if (outcome === 'created') created++;
  }
  return created;
}

/**
 * Stage 5 (inline runner): attempt every due delivery once and record the outcome. A delivery
 * held back by its endpoint's rate limit waits here (it is delayed, never failed).
 */
export async function deliverDue(deps: Deps): Promise<DeliverySummary> {
  const summary: DeliverySummary = { sent: 0, retry: 0, failed: 0 };
  for (const record of await deps.store.listDueDeliveries(deps.clock.now())) {
    for (;;) {
      const step = await deliverOne(deps, record.key);
      if (step.outcome === 'held') {
        await sleep(step.waitMs);
        continue;
      }
      if (step.outcome === 'sent' || step.outcome === 'retry' || step.outcome === 'failed') summary[step.outcome]++;
      break;
    }
  }
  return summary;
}

/**
 * What one delivery step came to. `held`: the endpoint's rate limit says wait (nothing recorded);
 * `not-yet`: a retry whose time has not come; `claimed`: another worker holds it; `already-*`:
 * a duplicate or replayed job finding the work done. `retryAt` (ms) says when to look again.
 */
export type DeliverStep =
  | { readonly outcome: 'sent' | 'failed' | 'missing' | 'already-sent' | 'already-failed' }
  | { readonly outcome: 'retry' | 'not-yet' | 'claimed'; readonly retryAt: number }
  | { readonly outcome: 'held'; readonly retryAt: number; readonly waitMs: number };

/**
 * The deliver stage for one delivery key, the same for both runners: re-read it, stop if it is
 * not due, ask the endpoint's rate limiter, then claim it (one atomic UPDATE: only one worker can
 * win) and attempt it. A claim of a worker that died expires after the lease (runner.claimLease).
 */
export async function deliverOne(deps: Deps, key: string): Promise<DeliverStep> {
  const record = await deps.store.getDelivery(key);
  if (!record) return { outcome: 'missing' };
  const waiting = notReady(record, deps.clock.now().getTime());
  if (waiting) return waiting;
  // A digest subscriber's alert waits for its window, then goes out with the window's others.
  const schedule = await heldSchedule(deps, record);
  if (schedule) return deliverDigest(deps, record, schedule);
  return claimAndRun(deps, record, (claimed) => attempt(deps, claimed));
}

/** Why this delivery cannot be attempted now (done, claimed, backing off), or undefined when it can. */
export function notReady(record: DeliveryRecord, now: number): DeliverStep | undefined {
  if (record.status === 'sent') return { outcome: 'already-sent' };
  if (record.status === 'failed') return { outcome: 'already-failed' };
  const claimedUntil = record.claimedUntil === undefined ? 0 : Date.parse(record.claimedUntil);
  if (claimedUntil > now) return { outcome: 'claimed', retryAt: claimedUntil };
  const notBefore = record.status === 'retry' && record.nextAttemptAt !== undefined ? Date.parse(record.nextAttemptAt) : 0;
  if (notBefore > now) return { outcome: 'not-yet', retryAt: notBefore };
  return undefined;
}

/**
 * Ask the endpoint's rate limiter, claim the delivery (one atomic UPDATE: only one worker can win)
 * and run the attempt; a digest claims its first member and sends for all of them.
 */
export async function claimAndRun(deps: Deps, record: DeliveryRecord, run: (claimed: DeliveryRecord) => Promise<'sent' | 'retry' | 'failed'>): Promise<DeliverStep> {
  const key = record.key;
  const now = deps.clock.now().getTime();
  const limit = endpointLimit(deps, record.subscriptionId, record.channel);
  if (limit) {
    const decision = await (deps.limiter ?? processLimiter).take(limit.key, limit.rate);
    if (decision.waitMs > 0) return { outcome: 'held', waitMs: decision.waitMs, retryAt: now + decision.waitMs };
  }
  const [claimed] = await deps.store.claimDeliveries({ now: new Date(now), leaseMs: claimLeaseMs(deps), key });
  if (!claimed) {
    // Lost the race between the read and the claim: say what the winner left.
    const current = await deps.store.getDelivery(key);
    if (current?.status === 'sent') return { outcome: 'already-sent' };
    if (current?.status === 'failed') return { outcome: 'already-failed' };
    const until = current?.claimedUntil === undefined ? now : Date.parse(current.claimedUntil);
    return current === undefined ? { outcome: 'missing' } : { outcome: 'claimed', retryAt: until };
  }
  const outcome = await run(claimed);
  if (outcome !== 'retry') return { outcome };
  const next = await deps.store.getDelivery(key);
  return { outcome, retryAt: next?.nextAttemptAt === undefined ? now : Date.parse(next.nextAttemptAt) };
}

/** How long a claim holds: longer than one send may take (the HTTP timeout, twice, plus a margin). */
export function claimLeaseMs(deps: Deps): number {
  return deps.config.runner.claimLease ?? 2 * deps.config.fetch.timeout + 30_000;
}

/** The inline runner's limiter when the app gave none: one process, one memory. */
const processLimiter = createMemoryRateLimiter();

/** Real time, whatever clock the deps carry: the rate limit is about the endpoint's real clock. */
function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(1, ms)));
}

/** One attempt at one claimed delivery, recorded in the store (the update releases the claim). */
export async function attempt(deps: Deps, record: DeliveryRecord): Promise<'sent' | 'retry' | 'failed'> {
  const attempts = record.attempts + 1;
  const channel = deps.channels.get(record.subscriptionId) ?? (await storeChannel(deps, record.subscriptionId));
  if (!channel) {
    // The subscription was removed from the config; keep the record so nothing vanishes silently.
    await deps.store.updateDelivery(record.key, { status: 'failed', attempts, lastError: `subscription ${record.subscriptionId} no longer exists` });
    return 'failed';
  }
  let result: DeliveryResult;
  try {
    const parts = partProgress(deps, record.key, record.progress);
    // Acknowledgement links are signed when sent, not when planned: the stored payload holds no signed URL.
    const alert = withAckLinks(record.payload as Alert, { baseUrl: deps.config.http.publicUrl, secret: deps.config.linkSecret, now: deps.clock.now() });
    result = await channel.send(alert, { http: deps.http, clock: deps.clock, log: deps.log, parts });
  } catch (err) {
    result = { status: 'retry' as const, reason: describeError(err) };
  }
  return settle(deps, [record.key], attempts, result, deps.log.child({ delivery: record.key, channel: channel.kind, attempts }));
}

/** Parts accepted so far, and a recorder that keeps the rest of the progress (a digest's members) as it is. */
export function partProgress(deps: Deps, key: string, progress: DeliveryProgress | undefined): PartProgress {
  return {
    sent: progress?.partsSent ?? 0,
    accepted: (partsSent) => deps.store.saveDeliveryProgress(key, { ...progress, partsSent }),
  };
}

/**
 * Record one attempt's outcome on every delivery it covered (one alert, or a digest's members with
 * the claimed one last, so a crash midway leaves the claimed one due and the digest is resent whole).
 */
export async function settle(deps: Deps, keys: readonly string[], attempts: number, result: DeliveryResult, log: Logger): Promise<'sent' | 'retry' | 'failed'> {
  const now = deps.clock.now();
  const update = async (u: DeliveryUpdate): Promise<void> => {
    for (const key of keys) await deps.store.updateDelivery(key, u);
  };
  switch (result.status) {
    case 'sent':
      await update({ status: 'sent', attempts, sentAt: now });
      log.info('delivered');
      return 'sent';
    case 'retry': {
      if (attempts >= MAX_ATTEMPTS) {
        await update({ status: 'failed', attempts, lastError: `gave up after ${attempts} attempts: ${result.reason}` });
        log.error({ reason: result.reason }, 'delivery failed for good');
        return 'failed';
      }
      const delay = result.afterMs ?? backoffMs(attempts, deps.random());
      await update({ status: 'retry', attempts, nextAttemptAt: new Date(now.getTime() + delay), lastError: result.reason });
      log.warn({ reason: result.reason, retryInMs: delay }, 'delivery will be retried');
      return 'retry';
    }
    case 'failed':
      await update({ status: 'failed', attempts, lastError: result.reason });
      log.error({ reason: result.reason }, 'delivery failed');
      return 'failed';
  }
}

/** Exponential backoff with full jitter in [0.5, 1.5) of the step, capped. */
export function backoffMs(attempts: number, random: number): number {
  const step = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (attempts - 1));
  return Math.round(step * (0.5 + random));
}
