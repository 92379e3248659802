// `secwatch run`/`serve` (the inline runner's loop) records due reminders and sends them, once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { resolveConfig } from '../../src/config/load.js';
import { planAlerts, recordAlerts, runInline } from '../../src/pipeline/index.js';
import { fixedClock } from '../../src/util/clock.js';
import { silentLogger } from '../../src/util/logger.js';
import { makeAdvisory, makeMatch } from '../helpers/alert-factory.js';
import { startServer, type TestServer } from '../helpers/http-server.js';
import { waitFor } from '../helpers/runner-fixture.js';

const HOOK_SECRET = 'whsec_' + Buffer.from('secwatch-remind-inline-0123456789').toString('base64');
const clock = fixedClock('2026-11-20T10:00:00Z');
const advisory = makeAdvisory({ id: 'kev:CVE-2026-7001', cves: ['CVE-2026-7001'] });
const match = makeMatch({ advisoryId: advisory.id, applyBy: '2026-12-01' });

let hook: TestServer;
let app: App;

beforeAll(async () => {
  hook = await startServer((_req, res) => res.writeHead(204).end());
  const config = resolveConfig(
    { store: { url: 'sqlite::memory:' }, network: { allowPrivateHosts: ['127.0.0.1'] }, subscriptions: [{ id: 'siem', channel: 'webhook', url: `${hook.url}/h`, secretEnv: 'HOOK_SECRET' }] },
    { baseDir: '/tmp', env: { HOOK_SECRET } },
  );
  app = await createApp(config, { clock, log: silentLogger });
  const outcomes = await app.store.upsertAdvisories([advisory], clock.now());
  await app.store.replaceMatches(advisory.id, [match]);
  await recordAlerts(app, planAlerts(outcomes, new Map([[advisory.id, [match]]]), config.subscriptions, app.policy));
  await app.store.updateDelivery(`siem:${advisory.id}:1`, { status: 'sent', attempts: 1, sentAt: clock.now() });
});

afterAll(async () => {
  await app.close();
  await hook.close();
});

describe('inline runner loop', () => {
  it('sends the reminder due on its first round and nothing more', async () => {
    clock.set('2026-11-28T08:00:00Z');
    const stop = new AbortController();
    const running = runInline(app, stop.signal);
    try {
      await waitFor('the reminder sent', async () => (await app.store.listDeliveries({ status: 'sent' })).length === 2, 30_000);
    } finally {
      stop.abort();
      await running;
    }
    expect(hook.requests.map((r) => r.headers['webhook-id'])).toEqual([`siem:${advisory.id}:remind:3d:2026-12-01`]);
  });
});
