// Signed acknowledgement links: the token itself (sign, verify, tamper, expire) and the routes
// that show a page on GET and record on POST, against the real server and a real SQLite store.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { resolveConfig } from '../../src/config/load.js';
import { createMetrics } from '../../src/http/metrics.js';
import { buildServer } from '../../src/http/server.js';
import { ACK_LINK_TTL_MS, signAckToken, verifyAckToken, withAckLinks, type AckLinkClaim } from '../../src/remind/index.js';
import { fixedClock } from '../../src/util/clock.js';
import { silentLogger } from '../../src/util/logger.js';
import { makeAdvisory, makeAlert, makeMatch } from '../helpers/alert-factory.js';

const SECRET = 'ack-links-test-secret-0123456789abcdef-xyz';
const NOW = new Date('2026-11-20T10:00:00Z');
const advisory = makeAdvisory({ id: 'kev:CVE-2026-3001', title: 'Exchange <script> & "quotes"' });
const match = makeMatch({ advisoryId: advisory.id, item: { ...makeMatch().item, name: "O'Brien & Co mail", collection: 'mail' } });
const claim = (over: Partial<AckLinkClaim> = {}): AckLinkClaim => ({
  subscriptionId: 'ops',
  advisoryId: advisory.id,
  itemCollection: 'mail',
  itemName: match.item.name,
  status: 'applied',
  expiresAt: NOW.getTime() + ACK_LINK_TTL_MS,
  ...over,
});

describe('ack link tokens', () => {
  it('round-trips; a changed payload, signature or key is refused; an old one is expired', () => {
    const token = signAckToken(claim(), SECRET);
    expect(verifyAckToken(token, SECRET, NOW)).toEqual({ outcome: 'valid', claim: claim() });
    const [v, body, sig] = token.split('.') as [string, string, string];
    const forged = Buffer.from(JSON.stringify(['ops', advisory.id, 'mail', 'other item', 'applied', claim().expiresAt])).toString('base64url');
    expect(verifyAckToken(`${v}.${forged}.${sig}`, SECRET, NOW)).toMatchObject({ outcome: 'invalid', reason: expect.stringMatching(/signature/) as unknown });
    expect(verifyAckToken(`${v}.${body}.${sig.slice(0, -2)}AA`, SECRET, NOW).outcome).toBe('invalid');
    expect(verifyAckToken(token, `${SECRET}-rotated`, NOW).outcome).toBe('invalid');
    expect(verifyAckToken('garbage', SECRET, NOW).outcome).toBe('invalid');
    expect(verifyAckToken(token, SECRET, new Date(claim().expiresAt + 1)).outcome).toBe('expired');
  });

  it('withAckLinks adds a pair per matched item, only with a public URL and a secret', () => {
    const alert = makeAlert({ advisory, matches: [match] });
    expect(withAckLinks(alert, { baseUrl: undefined, secret: SECRET, now: NOW })).toBe(alert);
    expect(withAckLinks(alert, { baseUrl: 'https://sw.example.org', secret: undefined, now: NOW })).toBe(alert);
    const linked = withAckLinks(alert, { baseUrl: 'https://sw.example.org/', secret: SECRET, now: NOW });
    expect(linked.ackLinks).toHaveLength(1);
    const link = linked.ackLinks![0]!;
    expect(link).toMatchObject({ itemName: match.item.name, itemCollection: 'mail' });
    const tokenOf = (url: string) => new URL(url).searchParams.get('t') ?? '';
    expect(link.applied.startsWith('https://sw.example.org/ack?t=v1.')).toBe(true);
    expect(verifyAckToken(tokenOf(link.applied), SECRET, NOW)).toMatchObject({ outcome: 'valid', claim: { status: 'applied', subscriptionId: alert.subscriptionId } });
    expect(verifyAckToken(tokenOf(link.notApplicable), SECRET, NOW)).toMatchObject({ outcome: 'valid', claim: { status: 'not-applicable' } });
  });
});

describe('GET/POST /ack', () => {
  const clock = fixedClock(NOW);
  let app: App;
  let inject: ReturnType<typeof buildServer>['server']['inject'];
  let closeServer: () => Promise<void>;
  const url = (c: AckLinkClaim, secret = SECRET) => `/ack?t=${signAckToken(c, secret)}`;

  async function serve(env: Record<string, string>) {
    const config = resolveConfig({ store: { url: 'sqlite::memory:' }, http: { publicUrl: 'https://sw.example.org' } }, { baseDir: '/tmp', env });
    const a = await createApp(config, { clock, log: silentLogger });
    const { server } = buildServer({ ...a, metrics: createMetrics(a.store, a.sources) });
    await server.ready();
    return { app: a, server };
  }

  beforeAll(async () => {
    const built = await serve({ SECWATCH_LINK_SECRET: SECRET });
    app = built.app;
    inject = built.server.inject.bind(built.server);
    closeServer = async () => {
      await built.server.close();
      await app.close();
    };
    await app.store.upsertAdvisories([advisory], NOW);
    await app.store.replaceMatches(advisory.id, [match]);
  });
  afterAll(async () => closeServer());

  it('GET shows what would be recorded, escaped, with a POST button, and records nothing', async () => {
    const res = await inject({ method: 'GET', url: url(claim()) });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.body).toContain('O&#39;Brien &amp; Co mail');
    expect(res.body).toContain('Exchange &lt;script&gt; &amp; &quot;quotes&quot;');
    expect(res.body).not.toContain('<script>');
    expect(res.body).toMatch(/<form method="post" action="\/ack\?t=v1\./);
    expect(await app.store.listAcknowledgements()).toEqual([]);
  });

  it('POST records the acknowledgement the link names, and says so', async () => {
    const res = await inject({ method: 'POST', url: url(claim({ status: 'not-applicable' })), headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'confirm=1' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('marked as not applicable');
    expect(await app.store.listAcknowledgements()).toEqual([
      {
        advisoryId: advisory.id,
        itemCollection: 'mail',
        itemName: match.item.name,
        status: 'not-applicable',
        note: 'signed link in an alert to subscription ops',
        acknowledgedAt: NOW.toISOString(),
      },
    ]);
    // The page of the same link now shows what is recorded.
    expect((await inject({ method: 'GET', url: url(claim()) })).body).toContain('Currently recorded: not-applicable');
  });

  it('refuses a tampered link (403), an expired one (410), one for a match that is gone (404); none records', async () => {
    await app.store.removeAcknowledgement(advisory.id, 'mail', match.item.name);
    const token = signAckToken(claim(), SECRET);
    const tampered = token.replace(/\.([A-Za-z0-9_-])/, (_m, c: string) => `.${c === 'A' ? 'B' : 'A'}`);
    for (const method of ['GET', 'POST'] as const) {
      const bad = await inject({ method, url: `/ack?t=${tampered}` });
      expect(bad.statusCode).toBe(403);
      expect(bad.body).toContain('Link not valid');
      const otherKey = await inject({ method, url: url(claim(), `${SECRET}-other`) });
      expect(otherKey.statusCode).toBe(403);
      const expired = await inject({ method, url: url(claim({ expiresAt: NOW.getTime() - 1 })) });
      expect(expired.statusCode).toBe(410);
      expect(expired.body).toContain('Link expired');
      const gone = await inject({ method, url: url(claim({ itemName: 'decommissioned box' })) });
      expect(gone.statusCode).toBe(404);
    }
    const mangled = await inject({ method: 'GET', url: '/ack?t=not-a-token' });
    expect(mangled.statusCode).toBe(403);
    expect(mangled.body).toContain('not an acknowledgement link');
    expect(await app.store.listAcknowledgements()).toEqual([]);
  });

  it('without SECWATCH_LINK_SECRET the routes say links are off (503)', async () => {
    const off = await serve({});
    try {
      const res = await off.server.inject({ method: 'GET', url: url(claim()) });
      expect(res.statusCode).toBe(503);
      expect(res.body).toContain('SECWATCH_LINK_SECRET');
    } finally {
      await off.server.close();
      await off.app.close();
    }
  });

  it('a too-short SECWATCH_LINK_SECRET is a config error naming the variable', () => {
    expect(() => resolveConfig({}, { baseDir: '/tmp', env: { SECWATCH_LINK_SECRET: 'short' } })).toThrow(/SECWATCH_LINK_SECRET is too short/);
  });
});
