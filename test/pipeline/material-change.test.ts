// Quiet revisions end to end through the real store: a typo-only re-publication alerts nobody;
// the same advisory with its severity raised alerts once, and every channel says what changed.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/load.js';
import { alertSubject, renderAlertHtml, renderAlertText } from '../../src/deliver/render.js';
import { buildSlackMessage } from '../../src/deliver/slack/payload.js';
import { buildTeamsMessages } from '../../src/deliver/teams/alert-card.js';
import { buildWebhookPayload } from '../../src/deliver/webhook/payload.js';
import type { Advisory } from '../../src/model/advisory.js';
import type { ApplyByPolicy } from '../../src/normalize/apply-by.js';
import { planAlerts } from '../../src/pipeline/plan-alerts.js';
import { openStore, type Store } from '../../src/store/index.js';
import { makeAdvisory } from '../helpers/advisory-factory.js';

const config = resolveConfig(
  { subscriptions: [{ id: 'ops', channel: 'email', to: ['ops@example.org'], minSeverity: 'low', matchedOnly: false }] },
  { env: {}, baseDir: '/tmp' },
);
const policy: ApplyByPolicy = { rules: ['msrc-classic', 'kev'], clockStart: 'release' };
const now = new Date('2024-07-03T09:00:00Z');

let store: Store;
beforeEach(async () => {
  store = await openStore('sqlite::memory:');
});
afterEach(async () => {
  await store.close();
});

async function alertsFor(a: Advisory, at: string) {
  const outcomes = await store.upsertAdvisories([a], new Date(at));
  return { outcomes, alerts: planAlerts(outcomes, new Map(), config.subscriptions, policy) };
}

describe('material-change re-alerts', () => {
  const v1 = makeAdvisory({ severity: 'moderate', severitySource: 'vendor' });

  it('alerts once for the first publication, not for a typo fix, once for a raised severity', async () => {
    expect((await alertsFor(v1, '2024-07-01T12:00:00Z')).alerts).toHaveLength(1);

    // Wording, and a typo in the affected range ("< 2.4.1" → "<2.4.1"): nothing a reader must act on.
    const typo = {
      ...v1,
      title: v1.title.replace('execution', 'execution (corrected)'),
      summary: `${v1.summary ?? ''} Typo fixed.`,
      modified: '2024-07-02T08:00:00.000Z',
      products: v1.products.map((p) => ({ ...p, ranges: ['<2.4.1'] })),
    };
    const quiet = await alertsFor(typo, '2024-07-02T08:00:00Z');
    expect(quiet.outcomes.map((o) => o.status)).toEqual(['updated']);
    expect(quiet.alerts).toEqual([]);

    const raised = { ...typo, severity: 'critical' as const, modified: '2024-07-03T08:00:00.000Z' };
    const loud = await alertsFor(raised, '2024-07-03T08:00:00Z');
    expect(loud.outcomes.map((o) => [o.status, o.advisory.revision])).toEqual([['revised', 2]]);
    expect(loud.alerts).toHaveLength(1);
    const alert = loud.alerts[0]!;
    expect(alert.changes).toEqual([{ kind: 'severity-raised', from: 'moderate', to: 'critical' }]);

    // The same upsert again changes nothing and alerts nobody.
    expect((await alertsFor(raised, '2024-07-03T09:00:00Z')).alerts).toEqual([]);

    const said = 'severity raised from moderate to critical';
    expect(alertSubject(alert, now)).toContain(said);
    expect(renderAlertText(alert, now)).toContain(said);
    expect(renderAlertHtml(alert, now)).toContain(said);
    expect(JSON.stringify(buildSlackMessage(alert, now))).toContain(said);
    expect(JSON.stringify(buildTeamsMessages(alert, now))).toContain(said);
    const hook = buildWebhookPayload(alert, now);
    expect(hook.type).toBe('advisory.updated');
    expect(hook.data.changes).toEqual([{ kind: 'severity-raised', from: 'moderate', to: 'critical', text: said }]);
  });
});
