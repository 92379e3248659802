import { describe, expect, it } from 'vitest';
import type { Alert } from '../../src/deliver/channel.js';
import { holdBackRepeatedAlerts } from '../../src/merge/index.js';
import type { Advisory } from '../../src/model/advisory.js';
import { deliveryKey, type DeliveryStatus } from '../../src/store/store.js';
import { makeAdvisory, makeAlert, makeMatch } from '../helpers/alert-factory.js';

const CVE = 'CVE-2025-53786';
const kev = makeAdvisory({ id: `kev:${CVE}`, source: { kind: 'kev', id: 'cisa-kev' }, severity: 'important' });
const msrc = makeAdvisory({ id: `msrc:${CVE}`, source: { kind: 'cvrf', id: 'msrc' }, severity: 'important', severitySource: 'vendor', exploited: {} });

function alertFor(advisory: Advisory, o: Partial<Alert> = {}): Alert {
  const sub = o.subscriptionId ?? 'ops-mail';
  return makeAlert({ id: deliveryKey(sub, advisory.id, advisory.revision), subscriptionId: sub, advisory, matches: [makeMatch({ advisoryId: advisory.id })], applyBy: '2025-08-11', ...o });
}

/** An earlier alert as the store lists it. */
function delivered(alert: Alert, status: DeliveryStatus = 'sent') {
  return { key: alert.id, subscriptionId: alert.subscriptionId, advisoryId: alert.advisory.id, status, payload: alert };
}

const ids = (r: { alerts: Alert[] }) => r.alerts.map((a) => a.id);

describe('holdBackRepeatedAlerts', () => {
  it('holds back an alert another source already gave the subscription, naming the earlier one', () => {
    const earlier = alertFor(kev);
    const second = alertFor(msrc, { applyBy: '2025-09-06' });
    const r = holdBackRepeatedAlerts([second], [delivered(earlier)]);
    expect(r.alerts).toEqual([]);
    expect(r.merged).toEqual([{ alert: second, into: { key: earlier.id, advisoryId: kev.id } }]);
    // Pending and retrying alerts count too: they are on their way.
    expect(holdBackRepeatedAlerts([second], [delivered(earlier, 'retry')]).alerts).toEqual([]);
  });

  it('still alerts when the second source raises the severity, hits a new item, or brings an earlier apply-by date', () => {
    const earlier = [delivered(alertFor(kev))];
    const raised = alertFor({ ...msrc, severity: 'critical' });
    const newItem = alertFor(msrc, { matches: [makeMatch({ advisoryId: msrc.id }), makeMatch({ advisoryId: msrc.id, item: { ...makeMatch().item, name: 'Exchange 2016' } })] });
    const sooner = alertFor(msrc, { applyBy: '2025-08-10' });
    for (const a of [raised, newItem, sooner]) expect(ids(holdBackRepeatedAlerts([a], earlier))).toEqual([a.id]);
    // A date where the earlier alert had none is sooner too.
    expect(ids(holdBackRepeatedAlerts([alertFor(msrc)], [delivered(alertFor(kev, { applyBy: null }))]))).toHaveLength(1);
  });

  it('still alerts when the earlier alert missed a CVE, went to another subscription, failed, or was about the same advisory', () => {
    const two = alertFor({ ...msrc, cves: [CVE, 'CVE-2025-00001'] });
    expect(ids(holdBackRepeatedAlerts([two], [delivered(alertFor(kev))]))).toEqual([two.id]);
    const second = alertFor(msrc);
    expect(ids(holdBackRepeatedAlerts([second], [delivered(alertFor(kev, { subscriptionId: 'sec-hook' }))]))).toEqual([second.id]);
    expect(ids(holdBackRepeatedAlerts([second], [delivered(alertFor(kev), 'failed')]))).toEqual([second.id]);
    // A revision of an advisory the subscription follows is never held back.
    const revised = alertFor({ ...msrc, revision: 2 }, { change: 'revised' });
    expect(ids(holdBackRepeatedAlerts([revised], [delivered(alertFor(kev)), delivered(alertFor(msrc))]))).toEqual([revised.id]);
  });

  it('never holds back an advisory without CVEs, and ignores a stored payload of another shape', () => {
    const bare = alertFor({ ...msrc, cves: [] });
    expect(ids(holdBackRepeatedAlerts([bare], [delivered(alertFor({ ...kev, cves: [] }))]))).toEqual([bare.id]);
    const odd = { key: 'x', subscriptionId: 'ops-mail', advisoryId: kev.id, status: 'sent' as const, payload: { text: 'hand-made' } };
    expect(ids(holdBackRepeatedAlerts([alertFor(msrc)], [odd]))).toHaveLength(1);
  });

  it('alerts once when two sources of the same batch report the CVE (the first kept counts as earlier)', () => {
    const first = alertFor(kev);
    const second = alertFor(msrc, { applyBy: '2025-09-06' });
    const other = alertFor(msrc, { subscriptionId: 'sec-hook' });
    const r = holdBackRepeatedAlerts([first, second, other], []);
    expect(ids(r)).toEqual([first.id, other.id]);
    expect(r.merged.map((m) => m.into.key)).toEqual([first.id]);
  });
});
