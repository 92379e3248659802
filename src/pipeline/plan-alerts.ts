import type { ResolvedSubscription } from '../config/load.js';
import type { Alert } from '../deliver/channel.js';
import { itemApplyBy } from '../feed/json-feed.js';
import type { Match } from '../model/match.js';
import { isAtLeast } from '../model/severity.js';
import type { ApplyByPolicy } from '../normalize/apply-by.js';
import { deliveryKey, type UpsertOutcome } from '../store/store.js';

/**
 * Which subscription gets which alert, pure. An alert goes out for a new advisory or a material
 * revision when it clears the subscription's severity floor, comes from one of its sources, and —
 * for matched-only subscriptions — hits the inventory.
 */
export function planAlerts(
  outcomes: readonly UpsertOutcome[],
  matchesByAdvisory: ReadonlyMap<string, readonly Match[]>,
  subscriptions: readonly ResolvedSubscription[],
  policy: ApplyByPolicy,
): Alert[] {
  const alerts: Alert[] = [];
  for (const outcome of outcomes) {
    if (outcome.status !== 'new' && outcome.status !== 'revised') continue;
    const advisory = outcome.advisory;
    const matches = matchesByAdvisory.get(advisory.id) ?? [];
    for (const sub of subscriptions) {
      if (!isAtLeast(advisory.severity, sub.minSeverity)) continue;
      if (sub.matchedOnly && matches.length === 0) continue;
      if (sub.sources && !sub.sources.includes(advisory.source.id ?? '')) continue;
      const applyBy = itemApplyBy(advisory, matches, policy);
      alerts.push({
        id: deliveryKey(sub.id, advisory.id, advisory.revision),
        subscriptionId: sub.id,
        change: outcome.status,
        advisory,
        matches,
        applyBy: applyBy.date,
        applyByRule: applyBy.rule,
      });
    }
  }
  return alerts;
}
