// A remind stage that fails (the database refusing reads) is logged and skipped: the round's
// deliveries still go out, and the next round records the reminder that is still due.
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { resolveConfig } from '../../src/config/load.js';
import { StoreError } from '../../src/errors.js';
import { planAlerts, recordAlerts, runCycle } from '../../src/pipeline/index.js';
import { openStore, type Store } from '../../src/store/index.js';
import { fixedClock } from '../../src/util/clock.js';
import { createLogger } from '../../src/util/logger.js';
import { makeAdvisory, makeMatch } from '../helpers/alert-factory.js';
import { startServer, type TestServer } from '../helpers/http-server.js';

const HOOK_SECRET = 'whsec_' + Buffer.from('secwatch-remind-failure-0123456789').toString('base64');
const clock = fixedClock('2026-11-20T10:00:00Z');
const advisory = makeAdvisory({ id: 'kev:CVE-2026-6001', cves: ['CVE-2026-6001'] });
const match = makeMatch({ advisoryId: advisory.id, applyBy: '2026-12-01' });

let hook: TestServer;
let app: App;
let store: Store;
let failReads = false;
const lines: Record<string, unknown>[] = [];

beforeAll(async () => {
  hook = await startServer((_req, res) => res.writeHead(204).end());
  const real = await openStore('sqlite::memory:');
  // The real store, whose listMatches fails while `failReads` is set (as a database restart would).
  store = new Proxy(real, {
    get(target, prop, receiver) {
      if (prop === 'listMatches' && failReads) return () => Promise.reject(new StoreError('listMatches: connection terminated'));
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });
  const config = resolveConfig(
    { store: { url: 'sqlite::memory:' }, network: { allowPrivateHosts: ['127.0.0.1'] }, subscriptions: [{ id: 'siem', channel: 'webhook', url: `${hook.url}/h`, secretEnv: 'HOOK_SECRET' }] },
    { baseDir: '/tmp', env: { HOOK_SECRET } },
  );
  app = await createApp(config, { clock, store, log: createLogger('error', { destination: sink }) });
  const outcomes = await store.upsertAdvisories([advisory], clock.now());
  await store.replaceMatches(advisory.id, [match]);
  await recordAlerts(app, planAlerts(outcomes, new Map([[advisory.id, [match]]]), config.subscriptions, app.policy));
});

afterAll(async () => {
  await app.close();
  await store.close();
  await hook.close();
});

describe('remind stage failure', () => {
  it('is logged with its cause, and the due alert is still sent', async () => {
    failReads = true;
    clock.set('2026-11-28T08:00:00Z');
    const summary = await runCycle(app, []);
    expect(summary.deliveries).toMatchObject({ planned: 0, sent: 1, failed: 0 });
    expect(lines).toContainEqual(expect.objectContaining({ msg: 'remind stage failed', code: 'STORE_FAILED', err: expect.stringContaining('connection terminated') as unknown }));
    expect(JSON.stringify(lines)).not.toContain(HOOK_SECRET);
  });

  it('the next round, with the database back, records and sends the reminder', async () => {
    failReads = false;
    clock.set('2026-11-28T09:00:00Z');
    const summary = await runCycle(app, []);
    expect(summary.deliveries).toMatchObject({ planned: 1, sent: 1 });
    expect(hook.requests.map((r) => (JSON.parse(r.body) as { type: string }).type)).toEqual(['advisory.created', 'reminder.due']);
  });
});
