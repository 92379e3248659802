// Resuming, not repeating: a message split into parts resends only the parts the receiver has not
// accepted (a Teams alert, through the inline runner); a digest resent after a crash between send
// and record is the same digest (same id, same items), and an alert recorded late into an already
// frozen window gets a digest of its own rather than changing the first.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { resolveConfig } from '../../src/config/load.js';
import type { Alert } from '../../src/deliver/channel.js';
import { deliverDue, recordAlerts } from '../../src/pipeline/deliver-alerts.js';
import { openStore, type Store } from '../../src/store/index.js';
import { deliveryKey } from '../../src/store/store.js';
import { fixedClock } from '../../src/util/clock.js';
import { silentLogger } from '../../src/util/logger.js';
import { makeAdvisory, makeAlert, makeMatch } from '../helpers/alert-factory.js';
import { startServer, type TestServer } from '../helpers/http-server.js';
import { HOOK_SECRET } from '../helpers/runner-fixture.js';
import { adaptiveCardProblems } from '../helpers/teams-card-check.js';

let store: Store;
let receiver: TestServer;
let app: App | undefined;
let answers: number[] = [];
const clock = fixedClock('2026-03-28T10:00:00Z');

beforeEach(async () => {
  store = await openStore('sqlite::memory:');
  answers = [];
  receiver = await startServer((_req, res) => res.writeHead(answers.shift() ?? 200).end('1'));
});

afterEach(async () => {
  await app?.close();
  app = undefined;
  await Promise.all([store.close(), receiver.close()]);
});

async function start(subscription: Record<string, unknown>): Promise<App> {
  const config = resolveConfig(
    { subscriptions: [{ minSeverity: 'low', matchedOnly: false, rateLimit: '100/s', ...subscription }], network: { allowPrivateHosts: ['127.0.0.1'] } },
    { baseDir: '/tmp', env: { TEAMS_URL: `${receiver.url}/workflows/abc?sig=secret-signature`, HOOK_SECRET } },
  );
  app = await createApp(config, { store, clock, log: silentLogger, random: () => 0.5 });
  return app;
}

function alert(subscriptionId: string, n: number, matches = 1): Alert {
  const advisory = makeAdvisory({ id: `ADV-${n}`, title: `Advisory number ${n}`, severity: 'important', exploited: {}, cves: [] });
  const items = Array.from({ length: matches }, (_, i) =>
    makeMatch({ advisoryId: advisory.id, item: { name: `server-${i}`, vendor: 'Microsoft', product: 'Exchange Server', instances: 1, collection: 'mail', location: `rack ${i}` } }),
  );
  return makeAlert({ id: deliveryKey(subscriptionId, advisory.id, 1), subscriptionId, advisory, matches: items });
}

describe('multi-part retry', () => {
  it('a Teams alert in three parts whose part 2 fails resends parts 2 and 3 only', async () => {
    const deps = await start({ id: 'ops-teams', channel: 'teams', urlEnv: 'TEAMS_URL' });
    await recordAlerts(deps, [alert('ops-teams', 1, 400)]);
    answers = [200, 500];
    expect(await deliverDue(deps)).toEqual({ sent: 0, retry: 1, failed: 0 });
    const record = await store.getDelivery('ops-teams:ADV-1:1');
    expect(record?.progress).toEqual({ partsSent: 1 });
    expect(receiver.requests).toHaveLength(2);

    clock.set(record!.nextAttemptAt!);
    expect(await deliverDue(deps)).toEqual({ sent: 1, retry: 0, failed: 0 });
    const bodies = receiver.requests.map((r) => r.body);
    expect(bodies).toHaveLength(4);
    // Part 1 once; part 2 twice (refused, then accepted); part 3 once.
    expect(bodies.filter((b) => b === bodies[0])).toHaveLength(1);
    expect(bodies[2]).toBe(bodies[1]);
    expect(new Set(bodies).size).toBe(3);
    // Every matched item reached the receiver in an accepted part.
    const accepted = [bodies[0]!, bodies[2]!, bodies[3]!].join('\n');
    for (const i of [0, 199, 399]) expect(accepted).toContain(`server-${i}`);
  });
});

describe('Teams digest', () => {
  it('a 150-item daily digest goes as valid Adaptive Cards; a refused part resumes there', async () => {
    const deps = await start({ id: 'ops-teams', channel: 'teams', urlEnv: 'TEAMS_URL', delivery: { mode: 'digest', every: 'daily', at: '08:00', timeZone: 'Europe/Berlin' } });
    clock.set('2026-03-28T09:00:00Z');
    await recordAlerts(deps, Array.from({ length: 150 }, (_, i) => alert('ops-teams', i + 1, 3)));
    answers = [200, 503];
    clock.set('2026-03-29T06:00:00Z');
    expect(await deliverDue(deps)).toEqual({ sent: 0, retry: 1, failed: 0 });
    clock.set('2026-03-29T07:00:00Z');
    expect(await deliverDue(deps)).toEqual({ sent: 1, retry: 0, failed: 0 });

    const bodies = receiver.requests.map((r) => r.body);
    expect(bodies.length).toBeGreaterThanOrEqual(3);
    expect(bodies[2]).toBe(bodies[1]);
    const accepted = [bodies[0]!, ...bodies.slice(2)];
    for (const body of accepted) {
      expect(adaptiveCardProblems(JSON.parse(body))).toEqual([]);
      expect(Buffer.byteLength(body)).toBeLessThanOrEqual(28_000);
    }
    const seen = accepted.flatMap((b) => [...b.matchAll(/Advisory number (\d+)\b/g)].map((m) => Number(m[1])));
    expect([...new Set(seen)].sort((a, b) => a - b)).toEqual(Array.from({ length: 150 }, (_, i) => i + 1));
    expect(seen).toHaveLength(150);
  });
});

describe('a digest resent after a crash', () => {
  const hooks = { id: 'hooks', channel: 'webhook', urlEnv: 'HOOK_URL', secretEnv: 'HOOK_SECRET', delivery: { mode: 'digest', every: 'hourly' } };

  it('is the same digest; a late alert of the same window goes in a second digest of its own', async () => {
    const config = resolveConfig(
      { subscriptions: [{ minSeverity: 'low', matchedOnly: false, ...hooks }], network: { allowPrivateHosts: ['127.0.0.1'] } },
      { baseDir: '/tmp', env: { HOOK_URL: `${receiver.url}/in`, HOOK_SECRET } },
    );
    const deps = (app = await createApp(config, { store, clock, log: silentLogger, random: () => 0.5 }));
    clock.set('2026-03-28T10:05:00Z');
    await recordAlerts(deps, [alert('hooks', 1), alert('hooks', 2)]);
    clock.set('2026-03-28T11:00:00Z');
    expect(await deliverDue(deps)).toEqual({ sent: 1, retry: 0, failed: 0 });

    // The crash: the receiver took the digest but the outcome never reached the store.
    for (const d of await store.listDeliveries({ subscriptionId: 'hooks' })) await store.updateDelivery(d.key, { status: 'pending', attempts: 0 });
    // Meanwhile a worker with a slow clock records one more alert inside the same window.
    clock.set('2026-03-28T10:59:00Z');
    await recordAlerts(deps, [alert('hooks', 3)]);

    clock.set('2026-03-28T11:01:00Z');
    expect(await deliverDue(deps)).toEqual({ sent: 2, retry: 0, failed: 0 });
    const got = receiver.requests.map((r) => ({ id: String(r.headers['webhook-id']), items: (JSON.parse(r.body) as { data: { items: { data: { id: string } }[] } }).data.items.map((i) => i.data.id) }));
    expect(got).toHaveLength(3);
    expect(got[1]).toEqual(got[0]);
    expect(got[0]!.items).toEqual(['ADV-1', 'ADV-2']);
    expect(got[2]!.items).toEqual(['ADV-3']);
    expect(got[2]!.id).not.toBe(got[0]!.id);
    expect((await store.listDeliveries({ subscriptionId: 'hooks' })).map((d) => d.status)).toEqual(['sent', 'sent', 'sent']);
  });
});
