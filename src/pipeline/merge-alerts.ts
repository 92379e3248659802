import type { Alert } from '../deliver/channel.js';
import { holdBackRepeatedAlerts } from '../merge/repeated-alerts.js';
import type { Deps } from './deps.js';

/**
 * Stage 4b, between planning and recording: hold back alerts about an issue a subscription already
 * heard of from another source (src/merge/repeated-alerts.ts). Reads the advisories sharing a CVE
 * with the alerted ones, and — only when there are such siblings — their earlier deliveries. Returns
 * the alerts to record and one line per alert held back ("sub: X merged with Y (already alerted …)").
 */
export async function mergeRepeatedAlerts(deps: Deps, alerts: readonly Alert[]): Promise<{ alerts: Alert[]; merged: string[] }> {
  const cves = [...new Set(alerts.flatMap((a) => a.advisory.cves))];
  if (cves.length === 0) return { alerts: [...alerts], merged: [] };
  const alerted = new Set(alerts.map((a) => a.advisory.id));
  const siblings = (await deps.store.listAdvisoriesByCves(cves)).map((s) => s.advisory.id).filter((id) => !alerted.has(id));
  const cvesInBatch = new Map<string, number>();
  for (const a of new Map(alerts.map((x) => [x.advisory.id, x.advisory])).values()) {
    for (const c of a.cves) cvesInBatch.set(c.toUpperCase(), (cvesInBatch.get(c.toUpperCase()) ?? 0) + 1);
  }
  const sharedInBatch = [...cvesInBatch.values()].some((n) => n > 1);
  if (siblings.length === 0 && !sharedInBatch) return { alerts: [...alerts], merged: [] };
  // The alerted advisories' own deliveries too: a revision of something already alerted is never held back.
  const earlier = await deps.store.listDeliveries({ advisoryIds: [...siblings, ...alerted] });
  const result = holdBackRepeatedAlerts(alerts, earlier);
  const merged = result.merged.map(
    (m) => `${m.alert.subscriptionId}: ${m.alert.advisory.id} merged with ${m.into.advisoryId} (already alerted as ${m.into.key})`,
  );
  for (const m of result.merged) {
    deps.log.info({ subscription: m.alert.subscriptionId, advisory: m.alert.advisory.id, mergedWith: m.into.advisoryId, alert: m.into.key }, 'alert merged');
  }
  return { alerts: result.alerts, merged };
}

/** One chain per store: the check-and-record sections of one process never interleave. */
const sections = new WeakMap<object, Promise<unknown>>();

/**
 * Hold back repeated alerts, then record the rest with `record`, as one section per store in this
 * process: two sources (or jobs) of one process reporting the same CVE at the same moment cannot
 * both pass the check before either has recorded its alert. Processes sharing a database still can.
 */
export async function mergeThenRecord<T>(deps: Deps, alerts: readonly Alert[], record: (alerts: Alert[]) => Promise<T>): Promise<{ recorded: T; alerts: Alert[]; merged: string[] }> {
  const previous = sections.get(deps.store) ?? Promise.resolve();
  const section = previous
    .catch(() => undefined)
    .then(async () => {
      const kept = await mergeRepeatedAlerts(deps, alerts);
      return { recorded: await record(kept.alerts), ...kept };
    });
  sections.set(deps.store, section);
  return section;
}
