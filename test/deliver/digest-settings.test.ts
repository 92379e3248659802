// Digest settings where people write them: the config file (validated by the schema) and the
// subscriptions API (JSON Schema, plus the IANA time-zone check JSON Schema cannot do).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { resolveConfig } from '../../src/config/load.js';
import { createMetrics } from '../../src/http/metrics.js';
import { buildServer } from '../../src/http/server.js';
import { fixedClock } from '../../src/util/clock.js';
import { silentLogger } from '../../src/util/logger.js';

const email = { id: 'ops', channel: 'email', to: ['ops@example.org'] };
const load = (sub: Record<string, unknown>) => resolveConfig({ subscriptions: [{ ...email, ...sub }], email: { transport: 'outbox' } }, { baseDir: '/tmp', env: {} });

describe('digest settings in the config', () => {
  it('takes a daily digest with a time and zone, and a bypass list', () => {
    const sub = load({ delivery: { mode: 'digest', at: '07:30', timeZone: 'Europe/Berlin' }, bypassDigest: ['kev'] }).subscriptions[0]!;
    expect(sub.delivery).toEqual({ mode: 'digest', every: 'daily', at: '07:30', timeZone: 'Europe/Berlin' });
    expect(sub.bypassDigest).toEqual(['kev']);
  });

  it('names the field and the cause for an unknown zone, a bad time, an unknown mode or bypass', () => {
    expect(() => load({ delivery: { mode: 'digest', timeZone: 'Europe/Atlantis' } })).toThrow(/delivery\.timeZone.*IANA time zone/s);
    expect(() => load({ delivery: { mode: 'digest', at: '8:00' } })).toThrow(/delivery\.at.*HH:MM/s);
    expect(() => load({ delivery: { mode: 'weekly' } })).toThrow(/delivery\.mode/);
    expect(() => load({ bypassDigest: ['high'] })).toThrow(/bypassDigest/);
  });
});

describe('digest settings through the API', () => {
  const TOKEN = 'test-admin-token-0123456789';
  let app: App;
  let server: ReturnType<typeof buildServer>['server'];
  const auth = { authorization: `Bearer ${TOKEN}` };

  beforeAll(async () => {
    const config = resolveConfig({ store: { url: 'sqlite::memory:' }, email: { transport: 'outbox' } }, { baseDir: '/tmp', env: { SECWATCH_ADMIN_TOKEN: TOKEN } });
    app = await createApp(config, { clock: fixedClock('2026-03-28T10:00:00Z'), log: silentLogger });
    server = buildServer({ ...app, metrics: createMetrics(app.store, app.sources) }).server;
  });
  afterAll(async () => {
    await server.close();
    await app.close();
  });

  it('stores delivery and bypassDigest on create, changes them on PATCH, refuses an unknown zone', async () => {
    const created = await server.inject({
      method: 'POST',
      url: '/subscriptions',
      headers: auth,
      payload: { channel: 'email', target: 'ana@example.org', delivery: { mode: 'digest', every: 'hourly', timeZone: 'Asia/Kolkata' }, bypassDigest: [] },
    });
    expect(created.statusCode).toBe(201);
    const id = created.json<{ subscription: { id: string } }>().subscription.id;
    expect((await app.store.getSubscription(id))?.settings).toMatchObject({ delivery: { mode: 'digest', every: 'hourly', timeZone: 'Asia/Kolkata' }, bypassDigest: [] });

    const patched = await server.inject({ method: 'PATCH', url: `/subscriptions/${id}`, headers: auth, payload: { delivery: { mode: 'immediate' } } });
    expect(patched.statusCode).toBe(200);
    const settings = (await app.store.getSubscription(id))?.settings;
    expect(settings?.delivery).toEqual({ mode: 'immediate' });
    expect(settings?.bypassDigest).toEqual([]);

    const bad = await server.inject({ method: 'PATCH', url: `/subscriptions/${id}`, headers: auth, payload: { delivery: { mode: 'digest', timeZone: 'Mars/Olympus' } } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: 'bad-request' });
    expect(bad.json<{ message: string }>().message).toContain('Mars/Olympus');
    const badTime = await server.inject({ method: 'POST', url: '/subscriptions', headers: auth, payload: { channel: 'email', target: 'bo@example.org', delivery: { mode: 'digest', at: '25:00' } } });
    expect(badTime.statusCode).toBe(400);
  });
});
