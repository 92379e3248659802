// Store subscriptions set their reminders through the API: `remindBefore` per subscription, and
// a `kinds` list without "reminder" gets none. Real server (inject), SQLite, a webhook receiver.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { resolveConfig } from '../../src/config/load.js';
import { createMetrics } from '../../src/http/metrics.js';
import { buildServer } from '../../src/http/server.js';
import { planAlerts, recordAlerts, runCycle } from '../../src/pipeline/index.js';
import { activeStoreTargets } from '../../src/pipeline/store-subscriptions.js';
import { fixedClock } from '../../src/util/clock.js';
import { silentLogger } from '../../src/util/logger.js';
import { makeAdvisory, makeMatch } from '../helpers/alert-factory.js';
import { startServer, type TestServer } from '../helpers/http-server.js';

const TOKEN = 'test-admin-token-remind-store-19ab';
const clock = fixedClock('2026-11-20T10:00:00Z');
const advisory = makeAdvisory({ id: 'kev:CVE-2026-5001', cves: ['CVE-2026-5001'] });
const match = makeMatch({ advisoryId: advisory.id, applyBy: '2026-12-01', applyByRule: 'kev:dueDate' });

let app: App;
let hook: TestServer;
let inject: ReturnType<typeof buildServer>['server']['inject'];
let closeAll: () => Promise<void>;
const ids: Record<string, string> = {};

async function subscribe(name: string, body: Record<string, unknown>) {
  const res = await inject({ method: 'POST', url: '/subscriptions', headers: { authorization: `Bearer ${TOKEN}` }, payload: { channel: 'webhook', target: `${hook.url}/${name}`, minSeverity: 'important', ...body } });
  expect(res.statusCode, res.body).toBe(201);
  ids[name] = res.json<{ subscription: { id: string } }>().subscription.id;
  return res.json<{ subscription: { settings: Record<string, unknown> } }>();
}
const reminderPaths = () => hook.requests.filter((r) => (JSON.parse(r.body) as { type: string }).type === 'reminder.due').map((r) => r.url);

beforeAll(async () => {
  hook = await startServer((_req, res) => res.writeHead(204).end());
  const config = resolveConfig({ store: { url: 'sqlite::memory:' }, network: { allowPrivateHosts: ['127.0.0.1'] } }, { baseDir: '/tmp', env: { SECWATCH_ADMIN_TOKEN: TOKEN } });
  app = await createApp(config, { clock, log: silentLogger });
  const { server } = buildServer({ ...app, metrics: createMetrics(app.store, app.sources) });
  await server.ready();
  inject = server.inject.bind(server);
  closeAll = async () => {
    await server.close();
    await app.close();
    await hook.close();
  };
});
afterAll(async () => closeAll());

describe('reminder settings of store subscriptions', () => {
  it('accepts remindBefore on create and PATCH, refuses a bad offset', async () => {
    const created = await subscribe('day-before', { remindBefore: ['5d'] });
    expect(created.subscription.settings.remindBefore).toEqual(['5d']);
    const patched = await inject({ method: 'PATCH', url: `/subscriptions/${ids['day-before']}`, headers: { authorization: `Bearer ${TOKEN}` }, payload: { remindBefore: ['1d'] } });
    expect(patched.json<{ settings: Record<string, unknown> }>().settings).toMatchObject({ remindBefore: ['1d'], minSeverity: 'important' });
    const bad = await inject({ method: 'POST', url: '/subscriptions', headers: { authorization: `Bearer ${TOKEN}` }, payload: { channel: 'webhook', target: `${hook.url}/x`, remindBefore: ['3 days'] } });
    expect(bad.statusCode).toBe(400);
    await subscribe('defaults', {});
    await subscribe('no-reminders', { kinds: ['advisory', 'advance-notice'] });
  });

  it('each subscription is reminded on its own days; one without the reminder kind never', async () => {
    const outcomes = await app.store.upsertAdvisories([advisory], clock.now());
    await app.store.replaceMatches(advisory.id, [match]);
    await recordAlerts(app, planAlerts(outcomes, new Map([[advisory.id, [match]]]), await activeStoreTargets(app.store), app.policy));
    expect((await runCycle(app, [])).deliveries.sent).toBe(3);

    clock.set('2026-11-28T08:00:00Z');
    await runCycle(app, []);
    expect(reminderPaths()).toEqual(['/defaults']);
    clock.set('2026-11-30T08:00:00Z');
    await runCycle(app, []);
    expect(reminderPaths()).toEqual(['/defaults', '/day-before']);
    clock.set('2026-12-01T08:00:00Z');
    await runCycle(app, []);
    // day-before has only "1d": its reminder of the 30th stands for the day as well.
    expect(reminderPaths()).toEqual(['/defaults', '/day-before', '/defaults']);
    expect(reminderPaths()).not.toContain('/no-reminders');
  });
});
