import type { Match } from '../model/match.js';
import type { UpsertOutcome } from '../store/store.js';
import { recordAlerts } from './deliver-alerts.js';
import type { Deps } from './deps.js';
import { matchChanged } from './match-stage.js';
import { mergeThenRecord } from './merge-alerts.js';
import { planAlerts } from './plan-alerts.js';
import { activeStoreTargets } from './store-subscriptions.js';

/** What matching and planning made of some stored advisories. */
export interface MatchPlanResult {
  readonly matches: ReadonlyMap<string, readonly Match[]>;
  /** Delivery keys of every alert recorded or found recorded (a re-run plans the same keys). */
  readonly planned: readonly string[];
  /** How many of them were recorded now for the first time. */
  readonly created: number;
  /** Alerts held back because another source's alert already covered them (src/merge/). */
  readonly merged: readonly string[];
}

/**
 * Stages match → plan → record, the same function under both runners: the inline runner gives it
 * every outcome of one poll, a BullMQ match job one advisory. New and materially revised
 * advisories are matched (matches kept), an alert is planned per subscription they are for, alerts
 * about an issue already alerted from another source are held back, the rest recorded under their
 * unique delivery key — so running it twice records nothing new.
 */
export async function matchAndPlan(deps: Deps, outcomes: readonly UpsertOutcome[]): Promise<MatchPlanResult> {
  const matches = await matchChanged(deps, outcomes);
  const targets = [...deps.config.subscriptions, ...(await activeStoreTargets(deps.store))];
  // Held back when another source's alert already covered them; checked and recorded as one section (merge-alerts.ts).
  const { alerts, merged, recorded: created } = await mergeThenRecord(deps, planAlerts(outcomes, matches, targets, deps.policy), (kept) => recordAlerts(deps, kept));
  return { matches, planned: alerts.map((a) => a.id), created, merged };
}
