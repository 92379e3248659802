import type { LookupAddress } from 'node:dns';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { resolveConfig } from '../../src/config/load.js';
import { createMetrics } from '../../src/http/metrics.js';
import { buildServer } from '../../src/http/server.js';
import type { Channel, DeliveryContext } from '../../src/deliver/channel.js';
import { createSlackChannel } from '../../src/deliver/slack/slack-channel.js';
import { createTeamsChannel } from '../../src/deliver/teams/teams-channel.js';
import { createWebhookChannel } from '../../src/deliver/webhook/webhook-channel.js';
import { FetchError } from '../../src/errors.js';
import { createHttpClient, type HttpClient, type HttpClientOptions } from '../../src/net/http-client.js';
import { checkUrlAllowed, isPrivateAddress, allowListOf, type Resolver } from '../../src/net/ssrf-guard.js';
import { fixedClock } from '../../src/util/clock.js';
import { silentLogger } from '../../src/util/logger.js';
import { makeAlert } from '../helpers/alert-factory.js';

// The SSRF guard for user-supplied URLs (webhook, Slack and Teams targets). Every "blocked" case
// runs against a real server on 127.0.0.1 that counts TCP connections: a refusal only counts
// when that server was never contacted at all.

interface CountingServer {
  readonly port: number;
  connections: number;
  readonly paths: string[];
  readonly hosts: string[];
  close(): Promise<void>;
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

/** A server on 127.0.0.1 that counts connections; `handler` may answer differently per path. */
async function countingServer(handler: (path: string, res: ServerResponse) => void = (_p, res) => res.writeHead(204).end()): Promise<CountingServer> {
  const server: Server = createServer((req, res) => {
    state.paths.push(req.url ?? '');
    state.hosts.push(req.headers.host ?? '');
    req.resume();
    req.on('end', () => handler(req.url ?? '', res));
  });
  const state: CountingServer = {
    port: 0,
    connections: 0,
    paths: [],
    hosts: [],
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  server.on('connection', () => state.connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  (state as { port: number }).port = (server.address() as AddressInfo).port;
  cleanups.push(() => state.close());
  return state;
}

/** A fake DNS: fixed answers per name, counting how often each name was asked. */
function fakeDns(answers: Record<string, string[] | ((call: number) => string[])>): Resolver & { calls: Record<string, number> } {
  const calls: Record<string, number> = {};
  const resolve = ((hostname: string, _options: unknown, callback: (err: NodeJS.ErrnoException | null, a: LookupAddress[]) => void) => {
    calls[hostname] = (calls[hostname] ?? 0) + 1;
    const entry = answers[hostname];
    if (!entry) {
      const err: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${hostname}`);
      err.code = 'ENOTFOUND';
      return queueMicrotask(() => callback(err, []));
    }
    const list = typeof entry === 'function' ? entry(calls[hostname]) : entry;
    queueMicrotask(() => callback(null, list.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }))));
  }) as Resolver & { calls: Record<string, number> };
  resolve.calls = calls;
  return resolve;
}

function client(over: Partial<HttpClientOptions> = {}): HttpClient {
  const c = createHttpClient({ timeoutMs: 3_000, maxBytes: 1 << 20, maxRedirects: 3, userAgent: 'secwatch-test', ...over });
  cleanups.push(() => c.close());
  return c;
}

async function refusal(p: Promise<unknown>): Promise<FetchError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(FetchError);
  return err as FetchError;
}

describe('which addresses a user-supplied URL may reach', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.255.255.254', true],
    ['0.0.0.0', true],
    ['10.1.2.3', true],
    ['172.16.0.1', true],
    ['172.31.255.255', true],
    ['192.168.1.1', true],
    ['100.64.0.1', true], // CGNAT
    ['169.254.169.254', true], // cloud metadata
    ['224.0.0.1', true], // multicast
    ['255.255.255.255', true],
    ['198.51.100.7', true], // documentation
    ['::', true],
    ['::1', true],
    ['fe80::1', true],
    ['fd00::1', true], // ULA
    ['fc12:3456::1', true],
    ['ff02::1', true],
    ['::ffff:127.0.0.1', true], // IPv4-mapped
    ['::ffff:7f00:1', true], // the same, as the URL parser writes it
    ['::ffff:8.8.8.8', true], // mapped is refused whatever it maps to
    ['::127.0.0.1', true], // IPv4-compatible (deprecated)
    ['64:ff9b::a00:1', true], // NAT64 of 10.0.0.1
    ['2002:7f00:1::', true], // 6to4 of 127.0.0.1
    ['not an ip', true],
    ['8.8.8.8', false],
    ['93.184.216.34', false],
    ['172.32.0.1', false],
    ['2606:4700:4700::1111', false],
  ])('%s → blocked: %s', (ip, expected) => {
    expect(isPrivateAddress(ip)).toBe(expected);
  });

  it('allows https to public names, refuses plain http and loopback spellings unless the operator allowed the host', () => {
    const none = allowListOf([]);
    const check = (u: string, allow = none) => checkUrlAllowed(new URL(u), allow);
    expect(check('https://hooks.slack.com/services/T/B/x')).toBeUndefined();
    expect(check('http://hooks.example.org/x')).toMatch(/plain http .*https only/);
    expect(check('ftp://hooks.example.org/x')).toMatch(/scheme ftp: is not allowed/);
    for (const u of ['https://127.0.0.1/', 'https://0x7f.1/', 'https://2130706433/', 'https://[::1]/', 'https://[::ffff:127.0.0.1]/', 'https://169.254.169.254/latest/meta-data/', 'https://localhost./', 'https://api.localhost/', 'https://0/'])
      expect(check(u), u).toMatch(/(private or loopback address|loopback name) that is not in network.allowPrivateHosts/);
    const allow = allowListOf(['127.0.0.1', 'Hooks.Internal', '::1']);
    expect(check('http://127.0.0.1:8080/hook', allow)).toBeUndefined();
    expect(check('http://hooks.internal/hook', allow)).toBeUndefined();
    expect(check('http://[::1]:9000/hook', allow)).toBeUndefined();
    expect(check('http://10.0.0.1/hook', allow)).toMatch(/private/);
  });
});

describe('the guard on real connections', () => {
  it('never contacts a loopback target written as an IP, in any spelling', async () => {
    const target = await countingServer();
    const http = client();
    for (const host of ['127.0.0.1', '0x7f.0.0.1', '2130706433', '127.1', 'localhost', '[::ffff:127.0.0.1]', '0.0.0.0']) {
      for (const scheme of ['http', 'https']) {
        const err = await refusal(http.post(`${scheme}://${host}:${target.port}/hook`, '{}', { userSupplied: true }));
        expect(err.kind, `${scheme}://${host}`).toBe('blocked');
      }
    }
    expect(target.connections).toBe(0);
  });

  it('never contacts a target whose name resolves to loopback, and asks DNS only once', async () => {
    const target = await countingServer();
    const dns = fakeDns({ 'hooks.evil.test': ['127.0.0.1'], 'dual.evil.test': ['::1', '127.0.0.1'] });
    const http = client({ resolve: dns });
    const err = await refusal(http.post(`https://hooks.evil.test:${target.port}/hook`, '{}', { userSupplied: true }));
    expect(err.kind).toBe('blocked');
    expect(err.message).toMatch(/hooks\.evil\.test resolves to 127\.0\.0\.1/);
    expect((await refusal(http.post(`https://dual.evil.test:${target.port}/hook`, '{}', { userSupplied: true }))).kind).toBe('blocked');
    expect(target.connections).toBe(0);
    expect(dns.calls['hooks.evil.test']).toBe(1);
  });

  it('connects to exactly the address it checked: a name that rebinds to loopback after the first answer never reaches it', async () => {
    const target = await countingServer();
    // Classic rebinding: a public answer for the check, loopback for the connect. The guard's
    // only lookup is the socket's own, so the second answer is never asked for.
    const dns = fakeDns({ 'rebind.evil.test': (call) => (call === 1 ? ['93.184.216.34'] : ['127.0.0.1']) });
    const http = client({ resolve: dns, timeoutMs: 1_000 });
    const err = await refusal(http.post(`http://rebind.evil.test:${target.port}/hook`, '{}', { userSupplied: true }));
    // Plain http to a name off the allow list is refused before any lookup at all.
    expect(err.kind).toBe('blocked');
    expect(dns.calls['rebind.evil.test']).toBeUndefined();
    const https = await refusal(http.post(`https://rebind.evil.test:${target.port}/hook`, '{}', { userSupplied: true }));
    // 93.184.216.34 is unreachable here (no internet): what matters is which address was tried.
    expect(['connect', 'timeout', 'tls', 'other']).toContain(https.kind);
    expect(dns.calls['rebind.evil.test']).toBe(1);
    expect(target.connections).toBe(0);
  });

  it('reaches an internal endpoint the operator allowed, at the address the resolver gave', async () => {
    const target = await countingServer();
    const dns = fakeDns({ 'hooks.internal.test': ['127.0.0.1'] });
    const http = client({ resolve: dns, allowPrivateHosts: ['hooks.internal.test'] });
    const res = await http.post(`http://hooks.internal.test:${target.port}/hook`, '{}', { userSupplied: true });
    expect(res.status).toBe(204);
    expect(target.connections).toBe(1);
    expect(target.hosts).toEqual([`hooks.internal.test:${target.port}`]);
    expect(dns.calls['hooks.internal.test']).toBe(1);
  });

  it('re-checks every redirect hop: a redirect to loopback, a loopback name, plain http or file: is refused before contact', async () => {
    const forbidden = await countingServer();
    const dns = fakeDns({ 'hooks.internal.test': ['127.0.0.1'], 'sneaky.evil.test': ['127.0.0.1'] });
    const hops: Record<string, string> = {
      '/to-ip': `http://127.0.0.1:${forbidden.port}/stolen`,
      '/to-localhost': `http://localhost:${forbidden.port}/stolen`,
      '/to-name': `https://sneaky.evil.test:${forbidden.port}/stolen`,
      '/to-metadata': 'http://169.254.169.254/latest/meta-data/',
      '/to-file': 'file:///etc/passwd',
    };
    const first = await countingServer((path, res) => res.writeHead(307, { location: hops[path] ?? '/' }).end());
    // Only the first hop's host is allowed (an operator's internal relay, say).
    const http = client({ resolve: dns, allowPrivateHosts: ['hooks.internal.test'] });
    for (const path of Object.keys(hops)) {
      const err = await refusal(http.post(`http://hooks.internal.test:${first.port}${path}`, '{}', { userSupplied: true }));
      expect(err.kind, path).toBe('blocked');
    }
    expect(first.paths).toEqual(Object.keys(hops));
    expect(forbidden.connections).toBe(0);
    expect(dns.calls['sneaky.evil.test']).toBe(1);
  });

  it('leaves operator-configured requests (sources) alone', async () => {
    const target = await countingServer((_p, res) => res.writeHead(200).end('feed'));
    const got = await client().get(`http://127.0.0.1:${target.port}/feed.xml`);
    expect(got.status).toBe('ok');
    expect(target.connections).toBe(1);
  });
});

describe('the guard behind every channel with a user-supplied URL', () => {
  const ctx = (http: HttpClient): DeliveryContext => ({ http, clock: fixedClock('2025-08-26T09:00:00Z'), log: silentLogger });

  it('webhook, Slack and Teams targets on loopback fail with a clear reason and are never contacted', async () => {
    const target = await countingServer();
    const dns = fakeDns({ 'hooks.evil.test': ['169.254.169.254'] });
    const http = client({ resolve: dns });
    const secret = 'whsec_' + Buffer.from('ssrf-test-secret-0123456789abcdef').toString('base64');
    const channels: Array<[string, Channel]> = [
      ['webhook', createWebhookChannel({ url: `https://127.0.0.1:${target.port}/hook/T0KEN-PATH`, secret })],
      ['slack', createSlackChannel({ url: `https://localhost:${target.port}/services/T0/B0/T0KEN-PATH` })],
      ['teams', createTeamsChannel({ url: `https://hooks.evil.test:${target.port}/webhookb2/T0KEN-PATH` })],
    ];
    for (const [name, channel] of channels) {
      const result = await channel.send(makeAlert(), ctx(http));
      expect(result.status, name).toBe('failed');
      const reason = result.status === 'failed' ? result.reason : '';
      expect(reason, name).toMatch(/SSRF guard/);
      expect(reason, name).not.toContain('T0KEN-PATH');
    }
    expect(target.connections).toBe(0);
  });
});

describe('where user URLs enter: the subscriptions API', () => {
  it('refuses a webhook or Slack target the guard would refuse (Teams targets come from the config only), and accepts an https one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'secwatch-ssrf-api-'));
    writeFileSync(join(dir, 'inventory.yaml'), 'items: []\n');
    const config = resolveConfig(
      { dataDir: dir, store: { url: 'sqlite::memory:' }, inventory: { files: [join(dir, 'inventory.yaml')] }, network: { allowPrivateHosts: ['hooks.internal.test'] } },
      { baseDir: dir, env: { SECWATCH_ADMIN_TOKEN: 'ssrf-api-token-0123456789' } },
    );
    const app = await createApp(config, { clock: fixedClock('2025-08-26T09:00:00Z'), log: silentLogger });
    const { server } = buildServer({ ...app, metrics: createMetrics(app.store, app.sources) });
    cleanups.push(async () => {
      await server.close();
      await app.close();
    });
    const post = async (channel: string, target: string) => {
      const res = await server.inject({ method: 'POST', url: '/subscriptions', headers: { authorization: 'Bearer ssrf-api-token-0123456789' }, payload: { channel, target } });
      return { status: res.statusCode, message: res.json<{ message?: string }>().message ?? '' };
    };
    for (const [channel, target] of [
      ['webhook', 'http://169.254.169.254/latest/meta-data/'],
      ['webhook', 'https://[::ffff:127.0.0.1]/hook'],
      ['slack', 'https://localhost/services/T/B/x'],
      ['webhook', 'https://10.1.2.3/webhookb2/x'],
      ['webhook', 'http://hooks.example.org/plain-http'],
      ['webhook', 'file:///etc/passwd'],
    ]) {
      const r = await post(channel!, target!);
      expect(r.status, target).toBe(400);
      expect(r.message, target).toMatch(/target (refused|must be an http\(s\) URL)/);
    }
    expect((await post('webhook', 'https://hooks.example.org/secwatch')).status).toBe(201);
    expect((await post('webhook', 'http://hooks.internal.test:8080/secwatch')).status).toBe(201);
    const listed = await app.store.listSubscriptions();
    expect(listed.map((s) => s.target).sort()).toEqual(['http://hooks.internal.test:8080/secwatch', 'https://hooks.example.org/secwatch']);
  });
});
