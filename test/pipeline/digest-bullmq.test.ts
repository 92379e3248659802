// The BullMQ runner sends a digest once: every member has its own deliver job (deterministic id
// per delivery key), the jobs race on four workers, and the claim on the window's lead member
// lets exactly one of them send. PostgreSQL store, real Redis, a real webhook receiver.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { resolveConfig } from '../../src/config/load.js';
import type { Alert } from '../../src/deliver/channel.js';
import { startWorkers, type Workers } from '../../src/pipeline/bullmq-runner.js';
import { recordAlerts } from '../../src/pipeline/deliver-alerts.js';
import { enqueueDueDeliveries } from '../../src/pipeline/jobs.js';
import { openQueues, type Queues } from '../../src/pipeline/queues.js';
import { deliveryKey } from '../../src/store/store.js';
import { fixedClock } from '../../src/util/clock.js';
import { silentLogger } from '../../src/util/logger.js';
import { makeAdvisory, makeAlert } from '../helpers/alert-factory.js';
import { pgSchemas } from '../helpers/postgres.js';
import { HOOK_SECRET, obliterateAll, queuesIdle, REDIS_TEST_URL, startReceiver, testPrefix, waitFor } from '../helpers/runner-fixture.js';

const schemas = pgSchemas('digest');
const clock = fixedClock('2026-03-28T10:05:00Z');
let hook: Awaited<ReturnType<typeof startReceiver>>;
let app: App;
let queues: Queues;
let workers: Workers | undefined;

beforeAll(async () => {
  hook = await startReceiver();
  const config = resolveConfig(
    {
      store: { url: schemas.url() },
      subscriptions: [
        { id: 'hooks', channel: 'webhook', url: `${hook.url}/in`, secretEnv: 'HOOK_SECRET', minSeverity: 'low', matchedOnly: false, rateLimit: '100/s', delivery: { mode: 'digest', every: 'hourly' } },
      ],
      network: { allowPrivateHosts: ['127.0.0.1'] },
    },
    { baseDir: '/tmp', env: { HOOK_SECRET } },
  );
  app = await createApp(config, { clock, log: silentLogger, random: () => 0.5 });
  queues = openQueues({ redisUrl: REDIS_TEST_URL, prefix: testPrefix('digest') });
});

afterAll(async () => {
  await workers?.close();
  await obliterateAll(queues);
  await queues.close();
  await Promise.all([app.close(), hook.close()]);
  await schemas.dropAll();
});

function alert(n: number): Alert {
  const advisory = makeAdvisory({ id: `ADV-${n}`, title: `Advisory number ${n}`, severity: 'important', exploited: {} });
  return makeAlert({ id: deliveryKey('hooks', advisory.id, 1), subscriptionId: 'hooks', advisory });
}

describe('digest under the bullmq runner', () => {
  it('eight member jobs on four workers: one digest with all eight items, all marked sent', async () => {
    await recordAlerts(app, Array.from({ length: 8 }, (_, i) => alert(i + 1)));
    // The window has closed when the jobs run (BullMQ delays run on real time, the clock is injected).
    clock.set('2026-03-28T11:00:00Z');
    workers = startWorkers(app, queues, { concurrency: 4, queues: ['deliver'] });
    expect(await enqueueDueDeliveries(app, queues)).toBe(8);
    // Queued twice in the same state: the same job ids, nothing more to do.
    await enqueueDueDeliveries(app, queues);
    await waitFor('every member sent and the queue idle', async () => (await app.store.listDeliveries({ status: 'sent' })).length === 8 && (await queuesIdle(queues)));

    expect(hook.requests).toHaveLength(1);
    const body = JSON.parse(hook.requests[0]!.body) as { type: string; data: { id: string; items: { data: { id: string } }[] } };
    expect(body.type).toBe('digest.created');
    expect(hook.ids()).toEqual([body.data.id]);
    expect(body.data.items.map((i) => i.data.id).sort()).toEqual(['ADV-1', 'ADV-2', 'ADV-3', 'ADV-4', 'ADV-5', 'ADV-6', 'ADV-7', 'ADV-8']);
    const records = await app.store.listDeliveries({ subscriptionId: 'hooks' });
    expect(records.every((d) => d.status === 'sent' && d.attempts === 1)).toBe(true);
    expect(records.filter((d) => d.progress?.digest?.id === body.data.id)).toHaveLength(1);
  });
});
