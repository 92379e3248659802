import type { Alert } from '../deliver/channel.js';
import { itemApplyBy } from '../feed/json-feed.js';
import type { Match } from '../model/match.js';
import { isAtLeast, type Severity } from '../model/severity.js';
import type { ApplyByPolicy } from '../normalize/apply-by.js';
import { deliveryKey, type UpsertOutcome } from '../store/store.js';
import { planningLines } from './planning.js';

/**
 * What planning reads of a subscription: config subscriptions (ResolvedSubscription) and active
 * store subscriptions (src/pipeline/store-subscriptions.ts) both fit.
 */
export interface AlertTarget {
  readonly id: string;
  readonly minSeverity: Severity;
  readonly matchedOnly: boolean;
  readonly sources?: readonly string[] | undefined;
  /** Advisory kinds wanted ('advisory', 'advance-notice'); every kind when absent. */
  readonly kinds?: readonly string[] | undefined;
  /** Apply-by reminder offsets ("3d", "0d"); src/remind/ uses its default when absent. */
  readonly remindBefore?: readonly string[] | undefined;
}

/**
 * Which subscription gets which alert, pure. An alert goes out for a new advisory or a material
 * revision when it clears the subscription's severity floor, comes from one of its sources, and —
 * for matched-only subscriptions — hits the inventory.
 */
export function planAlerts(
  outcomes: readonly UpsertOutcome[],
  matchesByAdvisory: ReadonlyMap<string, readonly Match[]>,
  subscriptions: readonly AlertTarget[],
  policy: ApplyByPolicy,
): Alert[] {
  const alerts: Alert[] = [];
  for (const outcome of outcomes) {
    if (outcome.status !== 'new' && outcome.status !== 'revised') continue;
    const advisory = outcome.advisory;
    // A notice closed by its release says nothing new: the advisories it links to alert on their own.
    if (advisory.kind === 'advance-notice' && advisory.closedBy) continue;
    const matches = matchesByAdvisory.get(advisory.id) ?? [];
    for (const sub of subscriptions) {
      if (!isAtLeast(advisory.severity, sub.minSeverity)) continue;
      if (sub.matchedOnly && matches.length === 0) continue;
      if (sub.sources && !sub.sources.includes(advisory.source.id ?? '')) continue;
      if (sub.kinds && !sub.kinds.includes(advisory.kind)) continue;
      const planning = planningLines(advisory);
      const applyBy = itemApplyBy(advisory, matches, policy);
      alerts.push({
        id: deliveryKey(sub.id, advisory.id, advisory.revision),
        subscriptionId: sub.id,
        change: outcome.status,
        advisory,
        matches,
        applyBy: applyBy.date,
        applyByRule: applyBy.rule,
        ...(outcome.changes?.length ? { changes: outcome.changes } : {}),
        ...(planning.length > 0 ? { planning } : {}),
      });
    }
  }
  return alerts;
}
