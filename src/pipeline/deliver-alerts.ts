import type { Alert } from '../deliver/channel.js';
import { describeError } from '../errors.js';
import type { DeliveryRecord } from '../store/store.js';
import type { Deps } from './deps.js';

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
      channel: channel?.kind ?? 'unknown',
      payload: alert,
      createdAt: deps.clock.now(),
    });
    if (outcome === 'created') created++;
  }
  return created;
}

/** Stage 5: attempt every due delivery once and record the outcome. */
export async function deliverDue(deps: Deps): Promise<DeliverySummary> {
  const summary: DeliverySummary = { sent: 0, retry: 0, failed: 0 };
  for (const record of await deps.store.listDueDeliveries(deps.clock.now())) {
    const status = await attempt(deps, record);
    summary[status]++;
  }
  return summary;
}

/** One attempt at one delivery, recorded in the store; a queued deliver job calls this directly. */
export async function attempt(deps: Deps, record: DeliveryRecord): Promise<'sent' | 'retry' | 'failed'> {
  const attempts = record.attempts + 1;
  const now = deps.clock.now();
  const channel = deps.channels.get(record.subscriptionId);
  if (!channel) {
    // The subscription was removed from the config; keep the record so nothing vanishes silently.
    await deps.store.updateDelivery(record.key, { status: 'failed', attempts, lastError: `subscription ${record.subscriptionId} no longer exists` });
    return 'failed';
  }
  let result;
  try {
    result = await channel.send(record.payload as Alert, { http: deps.http, clock: deps.clock, log: deps.log });
  } catch (err) {
    result = { status: 'retry' as const, reason: describeError(err) };
  }
  const log = deps.log.child({ delivery: record.key, channel: channel.kind, attempts });
  switch (result.status) {
    case 'sent':
      await deps.store.updateDelivery(record.key, { status: 'sent', attempts, sentAt: now });
      log.info('delivered');
      return 'sent';
    case 'retry': {
      if (attempts >= MAX_ATTEMPTS) {
        await deps.store.updateDelivery(record.key, { status: 'failed', attempts, lastError: `gave up after ${attempts} attempts: ${result.reason}` });
        log.error({ reason: result.reason }, 'delivery failed for good');
        return 'failed';
      }
      const delay = result.afterMs ?? backoffMs(attempts, deps.random());
      await deps.store.updateDelivery(record.key, { status: 'retry', attempts, nextAttemptAt: new Date(now.getTime() + delay), lastError: result.reason });
      log.warn({ reason: result.reason, retryInMs: delay }, 'delivery will be retried');
      return 'retry';
    }
    case 'failed':
      await deps.store.updateDelivery(record.key, { status: 'failed', attempts, lastError: result.reason });
      log.error({ reason: result.reason }, 'delivery failed');
      return 'failed';
  }
}

/** Exponential backoff with full jitter in [0.5, 1.5) of the step, capped. */
export function backoffMs(attempts: number, random: number): number {
  const step = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (attempts - 1));
  return Math.round(step * (0.5 + random));
}
