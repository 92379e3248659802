// "Its alerts are not repeated per source": an alert about an issue a subscription was already
// told about by another source is held back, unless the new source tells it something more.
import type { Alert } from '../deliver/channel.js';
import { severityRank } from '../model/severity.js';
import type { DeliveryRecord } from '../store/store.js';

/** An alert held back, and the earlier alert (delivery key) that already covered it. */
export interface MergedAlert {
  readonly alert: Alert;
  readonly into: { readonly key: string; readonly advisoryId: string };
}

/** An earlier alert as the check needs it: what was recorded for delivery, or planned in this batch. */
type Earlier = Pick<DeliveryRecord, 'key' | 'subscriptionId' | 'advisoryId' | 'status'> & { readonly payload: unknown };

/**
 * Split planned alerts into those to send and those merged into an earlier alert. Alert A (for
 * advisory X, subscription S) is merged when S already has an alert D — recorded, not `failed`, for
 * another advisory — that covers it: D names every CVE of X, its severity is at least X's, it
 * matched every inventory item X matches, and its apply-by date is not later than X's. So a raised
 * severity, a new matched item or an earlier deadline (a KEV due date) from the second source still
 * alerts. Never merged: an advisory without CVEs, and a revision of an advisory S was already
 * alerted about (S follows that advisory). Kept alerts count as earlier ones for the rest of the
 * batch, so two sources in one poll alert once too. Pure.
 */
export function holdBackRepeatedAlerts(alerts: readonly Alert[], earlier: readonly Earlier[]): { alerts: Alert[]; merged: MergedAlert[] } {
  const known: Earlier[] = earlier.filter((d) => d.status !== 'failed');
  const kept: Alert[] = [];
  const merged: MergedAlert[] = [];
  for (const alert of alerts) {
    const cover = coveredBy(alert, known);
    if (cover) {
      merged.push({ alert, into: { key: cover.key, advisoryId: cover.advisoryId } });
      continue;
    }
    kept.push(alert);
    known.push({ key: alert.id, subscriptionId: alert.subscriptionId, advisoryId: alert.advisory.id, status: 'pending', payload: alert });
  }
  return { alerts: kept, merged };
}

function coveredBy(alert: Alert, known: readonly Earlier[]): Earlier | undefined {
  const x = alert.advisory;
  if (x.cves.length === 0) return undefined;
  const mine = known.filter((d) => d.subscriptionId === alert.subscriptionId);
  if (mine.some((d) => d.advisoryId === x.id)) return undefined;
  const cves = x.cves.map(upper);
  const items = alert.matches.map((m) => itemKey(m.item));
  return mine.find((d) => {
    const prior = asAlert(d.payload);
    if (prior === undefined || d.advisoryId === x.id) return false;
    const priorCves = new Set(prior.advisory.cves.map(upper));
    const priorItems = new Set(prior.matches.map((m) => itemKey(m.item)));
    return (
      cves.every((c) => priorCves.has(c)) &&
      severityRank(prior.advisory.severity) >= severityRank(x.severity) &&
      items.every((i) => priorItems.has(i)) &&
      !earlierDate(alert.applyBy, prior.applyBy)
    );
  });
}

/** True when `a` is a date and `b` is none or later: the new alert brings a closer deadline. */
function earlierDate(a: string | null, b: string | null): boolean {
  if (a === null) return false;
  return b === null || a < b;
}

/** A stored payload is the Alert as planned; anything else (hand-edited, older shape) covers nothing. */
function asAlert(payload: unknown): Alert | undefined {
  const p = payload as Partial<Alert> | null;
  if (typeof p !== 'object' || p === null || typeof p.advisory !== 'object' || !Array.isArray(p.advisory.cves) || !Array.isArray(p.matches)) return undefined;
  return { applyBy: null, ...p } as Alert;
}

const upper = (s: string): string => s.trim().toUpperCase();
const itemKey = (item: { readonly collection: string; readonly name: string }): string => `${item.collection}\u0000${item.name}`;
