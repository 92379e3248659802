// The `remind` queue on the real Redis with a PostgreSQL store: two workers (two apps, two store
// connections) run remind jobs at the same moment, and the receiver still gets one reminder.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { resolveConfig } from '../../src/config/load.js';
import type { Match } from '../../src/model/match.js';
import { scheduleSources, startWorkers, type Workers } from '../../src/pipeline/bullmq-runner.js';
import { planAlerts, recordAlerts } from '../../src/pipeline/index.js';
import { openQueues, type Queues } from '../../src/pipeline/queues.js';
import { fixedClock } from '../../src/util/clock.js';
import { silentLogger } from '../../src/util/logger.js';
import { makeAdvisory, makeMatch } from '../helpers/alert-factory.js';
import { pgSchemas } from '../helpers/postgres.js';
import { HOOK_SECRET, obliterateAll, queuesIdle, REDIS_TEST_URL, startReceiver, testPrefix, waitFor } from '../helpers/runner-fixture.js';

const schemas = pgSchemas('remind');
const clock = fixedClock('2026-11-20T10:00:00Z');
const advisory = makeAdvisory({ id: 'kev:CVE-2026-2001', cves: ['CVE-2026-2001'] });
const match: Match = makeMatch({ advisoryId: advisory.id, applyBy: '2026-12-01', applyByRule: 'kev:dueDate' });

let hook: Awaited<ReturnType<typeof startReceiver>>;
let apps: App[] = [];
let queues: Queues[] = [];
let workers: Workers[] = [];

beforeAll(async () => {
  hook = await startReceiver();
  const prefix = testPrefix('remind');
  const config = resolveConfig(
    {
      store: { url: schemas.url() },
      runner: { prefix, remindEvery: '1h' },
      network: { allowPrivateHosts: ['127.0.0.1'] },
      subscriptions: [{ id: 'siem', channel: 'webhook', url: `${hook.url}/hook`, secretEnv: 'HOOK_SECRET', minSeverity: 'important' }],
    },
    { baseDir: '/tmp', env: { HOOK_SECRET } },
  );
  const first = await createApp(config, { clock, log: silentLogger });
  // The second "process" shares the database and Redis, not the store object.
  const second = await createApp(config, { clock, log: silentLogger });
  apps = [first, second];
  queues = apps.map(() => openQueues({ redisUrl: REDIS_TEST_URL, prefix }));
  const outcomes = await first.store.upsertAdvisories([advisory], clock.now());
  await first.store.replaceMatches(advisory.id, [match]);
  await recordAlerts(first, planAlerts(outcomes, new Map([[advisory.id, [match]]]), config.subscriptions, first.policy));
}, 60_000);

afterAll(async () => {
  await Promise.allSettled(workers.map((w) => w.close()));
  if (queues[0]) await obliterateAll(queues[0]);
  await Promise.allSettled(queues.map((q) => q.close()));
  await Promise.allSettled([...apps.map((a) => a.close()), hook.close()]);
  await schemas.dropAll();
}, 60_000);

describe('remind queue (BullMQ)', () => {
  it('two workers running remind jobs at once: one reminder recorded, queued and received', async () => {
    clock.set('2026-11-28T08:00:00Z');
    const [q1, q2] = queues as [Queues, Queues];
    // Both "processes" declare the scheduler at start: still one scheduler, on runner.remindEvery.
    await scheduleSources(apps[0]!, q1);
    await scheduleSources(apps[1]!, q2);
    const schedulers = await q1.remind.getJobSchedulers(0, -1);
    expect(schedulers.map((s) => [s.key, s.every])).toEqual([['remind-due', 3_600_000]]);
    // Two different slots, so both jobs run (duplicates of one slot would collapse by id).
    await q1.remind.add('remind', {}, { jobId: 'remind-test-a' });
    await q2.remind.add('remind', {}, { jobId: 'remind-test-b' });
    workers = [startWorkers(apps[0]!, q1, { queues: ['remind', 'deliver'] }), startWorkers(apps[1]!, q2, { queues: ['remind', 'deliver'] })];
    const done = async () => (await q1.remind.getCompletedCount()) >= 2 && (await queuesIdle(q1));
    await waitFor('remind jobs done and queues idle', done);
    await waitFor('alert and reminder received', () => hook.requests.length >= 2);

    const types = hook.requests.map((r) => (JSON.parse(r.body) as { type: string }).type).sort();
    expect(types).toEqual(['advisory.created', 'reminder.due']);
    expect(hook.ids().sort()).toEqual([`siem:${advisory.id}:1`, `siem:${advisory.id}:remind:3d:2026-12-01`]);
    const reminders = (await apps[1]!.store.listDeliveries({ advisoryIds: [advisory.id] })).filter((d) => d.key.includes(':remind:'));
    expect(reminders.map((d) => [d.key, d.status])).toEqual([[`siem:${advisory.id}:remind:3d:2026-12-01`, 'sent']]);
    const results = (await q1.remind.getCompleted()).map((j) => j.returnvalue as { planned: number; created: number });
    // However the two runs interleaved, exactly one of them recorded the reminder.
    expect(results.reduce((n, r) => n + r.created, 0)).toBe(1);
  });
});
