// Secrets never leave the process in text: a full run of the real CLI (run --once, deliveries,
// serve with API requests) with known secret values in its environment, deliveries that fail on
// purpose (receivers that echo our request back, an SMTP server refusing the login, a target the
// SSRF guard refuses), then every byte it wrote — log lines at the most verbose level, CLI output,
// HTTP answers and the lastError of every delivery — is searched for each secret, plain and
// URL-encoded.
import { spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeError } from '../../src/errors.js';
import { createLogger } from '../../src/util/logger.js';
import { corpusPath } from '../helpers/corpus.js';
import { closedPort, startServer, type TestServer } from '../helpers/http-server.js';

const BIN = fileURLToPath(new URL('../../bin/secwatch.js', import.meta.url));
const rnd = (label: string) => `${label}${randomBytes(12).toString('hex')}`;

// Each value is unique and random, so a hit can only be a leak.
const hookSecret = `whsec_${randomBytes(32).toString('base64')}`;
const hookPathToken = rnd('hookpath');
const hookQueryToken = rnd('hookquery');
const slackToken = rnd('slacktok');
const teamsToken = rnd('teamstok');
const blockedToken = rnd('blockedtok');
const smtpPassword = `${rnd('smtp')}/+&@`;
const adminToken = rnd('admintoken');
const linkSecret = rnd('linksecret-0123456789abcdef');
const sourceKey = rnd('srckey');
const dbPassword = rnd('dbpass');
const dkimKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

let echo: TestServer; // answers every delivery with an error that repeats what we sent
let source: TestServer; // a source that needs an API key in its query and answers 500
let smtp: SMTPServer;
let smtpUrl: string;
let dir: string;
let configFile: string;
let env: NodeJS.ProcessEnv;
const transcript: string[] = [];

/** Every value that must never be printed, with the parts that are secrets on their own. */
function secrets(): Record<string, string> {
  return {
    hookSecret,
    hookSecretKey: hookSecret.slice('whsec_'.length),
    hookPathToken,
    hookQueryToken,
    slackToken,
    teamsToken,
    blockedToken,
    smtpPassword,
    adminToken,
    linkSecret,
    sourceKey,
    dbPassword,
    // One line from the middle of the key's base64 body is enough to find any copy of it.
    dkimKey: dkimKey.split('\n')[5]!,
  };
}

function cli(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args, '--config', configFile], { env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.once('exit', (code) => {
      transcript.push(`$ secwatch ${args.join(' ')}\n${out}`);
      resolve({ code, out });
    });
  });
}

beforeAll(async () => {
  echo = await startServer((req, res, body) => {
    // A hostile or merely chatty receiver: its error repeats our URL, headers and body.
    const said = `${req.method} ${req.url} ${JSON.stringify(req.headers)} ${body.slice(0, 200)}`;
    if (req.url?.startsWith('/slack/')) return res.writeHead(410).end(`no_service ${said}`);
    if (req.url?.startsWith('/teams/')) return res.writeHead(403).end(`forbidden ${said}`);
    res.writeHead(500).end(`internal error ${said}`);
  });
  source = await startServer((req, res) => res.writeHead(500).end(`bad key in ${req.url}`));
  smtp = new SMTPServer({
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth: (auth, _session, callback) => callback(new Error(`535 bad credentials for ${auth.username}:${auth.password}`)),
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  smtpUrl = `smtp://secwatch:${encodeURIComponent(smtpPassword)}@127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;

  dir = mkdtempSync(join(tmpdir(), 'secwatch-secrets-'));
  writeFileSync(join(dir, 'inventory.yaml'), 'items:\n  - { name: erp, vendor: Apache, product: OFBiz, instances: 2, collection: apps }\n');
  configFile = join(dir, 'secwatch.yaml');
  writeFileSync(
    configFile,
    JSON.stringify({
      dataDir: dir,
      sources: [
        { id: 'cisa-kev', kind: 'kev', url: pathToFileURL(corpusPath('kev/known_exploited_vulnerabilities.2025-08-21.json')).href },
        { id: 'keyed', kind: 'kev', url: `${source.url}/kev.json?apikey=${sourceKey}` },
      ],
      inventory: { files: ['inventory.yaml'] },
      subscriptions: [
        { id: 'hook', channel: 'webhook', urlEnv: 'HOOK_URL', secretEnv: 'HOOK_SECRET', minSeverity: 'low' },
        { id: 'slack', channel: 'slack', urlEnv: 'SLACK_URL', minSeverity: 'low' },
        { id: 'teams', channel: 'teams', urlEnv: 'TEAMS_URL', minSeverity: 'low' },
        { id: 'blocked', channel: 'webhook', urlEnv: 'BLOCKED_URL', secretEnv: 'HOOK_SECRET', minSeverity: 'low' },
        { id: 'mail', channel: 'email', to: ['ops@example.org'], minSeverity: 'low' },
      ],
      email: { from: 'secwatch <secwatch@example.org>', transport: 'smtp', dkim: { domain: 'example.org', selector: 'sw1' } },
      network: { allowPrivateHosts: ['127.0.0.1'] },
      http: { host: '127.0.0.1', port: 0, publicUrl: 'https://secwatch.example.org' },
    }),
  );
  env = {
    ...process.env,
    SECWATCH_LOG_LEVEL: 'trace',
    REDIS_URL: '',
    SECWATCH_REDIS_URL: '',
    HOOK_SECRET: hookSecret,
    HOOK_URL: `${echo.url}/hook/${hookPathToken}?token=${hookQueryToken}`,
    SLACK_URL: `${echo.url}/slack/services/T0/B0/${slackToken}`,
    TEAMS_URL: `${echo.url}/teams/webhookb2/${teamsToken}`,
    BLOCKED_URL: `https://10.0.0.5/hooks/${blockedToken}`,
    SECWATCH_SMTP_URL: smtpUrl,
    SECWATCH_ADMIN_TOKEN: adminToken,
    SECWATCH_LINK_SECRET: linkSecret,
    SECWATCH_DKIM_PRIVATE_KEY: dkimKey,
  };
}, 60_000);

afterAll(async () => {
  await Promise.all([echo.close(), source.close(), new Promise<void>((resolve) => smtp.close(() => resolve()))]);
});

describe('no secret in any output of a full run', () => {
  it('runs a cycle whose deliveries all fail, lists them, serves the API, and prints no secret anywhere', async () => {
    const run = await cli(['run', '--once']);
    expect(run.out).toMatch(/keyed/); // the failing source is reported by name…
    expect(echo.requests.length, 'the receivers were reached').toBeGreaterThan(0);

    await cli(['run', '--once', '--json']);
    const listed = await cli(['deliveries']);
    expect(listed.code).toBe(0);

    // A secret with a broken value (the key without its whsec_ prefix): the error must not echo it.
    const broken = await cli(['run', '--once'], { HOOK_SECRET: hookSecret.slice('whsec_'.length) });
    expect(broken.code).not.toBe(0);
    expect(broken.out).toMatch(/HOOK_SECRET must hold whsec_/);

    // A store that cannot be reached, its URL holding a password: the error names the problem, not the password.
    const noStore = await cli(['deliveries'], { SECWATCH_DATABASE_URL: `postgresql://secwatch:${dbPassword}@127.0.0.1:${await closedPort()}/secwatch` });
    expect(noStore.code).not.toBe(0);
    expect(noStore.out).toMatch(/ECONNREFUSED|connect/i);

    // serve: the API, with a wrong token, the right one, and a hostile subscription target.
    const child = spawn(process.execPath, [BIN, 'serve', '--config', configFile], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let served = '';
    child.stdout.on('data', (c: Buffer) => (served += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (served += c.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const deadline = Date.now() + 60_000;
    while (!/serving on (http:\/\/\S+)/.test(served)) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`serve did not start:\n${served}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const base = /serving on (http:\/\/\S+)/.exec(served)![1]!;
    const answers: string[] = [];
    const call = async (path: string, init: RequestInit = {}) => {
      const res = await fetch(`${base}${path}`, init);
      const text = await res.text();
      // The request line is ours, not secwatch's output: only the answer goes in the transcript.
      answers.push(`${init.method ?? 'GET'} → ${res.status} ${text}`);
      return res.status;
    };
    const auth = { authorization: `Bearer ${adminToken}` };
    expect(await call('/subscriptions', { headers: { authorization: `Bearer ${adminToken}x` } })).toBe(401);
    expect(await call('/subscriptions', { headers: auth })).toBe(200);
    expect(await call('/deliveries?status=failed', { headers: auth })).toBe(200);
    expect(await call('/metrics', { headers: auth })).toBe(200);
    const hostile = { channel: 'webhook', target: `http://169.254.169.254/latest/${blockedToken}` };
    expect(await call('/subscriptions', { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(hostile) })).toBe(400);
    expect(await call(`/feeds/${adminToken}.json`)).toBe(404);
    child.kill('SIGTERM');
    expect(await exited, served).toBe(0);
    transcript.push(`$ secwatch serve\n${served}`, ...answers);

    const db = new Database(join(dir, 'secwatch.db'), { readonly: true });
    const deliveries = db.prepare<[], { key: string; status: string; last_error: string | null }>('SELECT key, status, last_error FROM deliveries').all();
    db.close();
    transcript.push(...deliveries.map((d) => `delivery ${d.key} ${d.status}: ${d.last_error ?? ''}`));

    // The run did what the scenario needs: every channel failed, each for its own reason.
    const reasons = deliveries.map((d) => d.last_error ?? '').join('\n');
    expect(reasons).toMatch(/SSRF guard/);
    expect(reasons).toMatch(/HTTP 500/);
    expect(reasons).toMatch(/HTTP 410/);
    expect(reasons).toMatch(/HTTP 403/);
    expect(reasons).toMatch(/535|auth|login/i);
    expect(deliveries.every((d) => d.status !== 'sent')).toBe(true);

    const all = transcript.join('\n');
    if (process.env.SECWATCH_TEST_TRANSCRIPT) writeFileSync(process.env.SECWATCH_TEST_TRANSCRIPT, all);
    expect(all.length).toBeGreaterThan(1000);
    const leaks = Object.entries(secrets()).flatMap(([name, value]) =>
      [value, encodeURIComponent(value)].filter((v) => all.includes(v)).map((v) => `${name} (${v === value ? 'plain' : 'URL-encoded'})`),
    );
    const context = leaks.length === 0 ? '' : all.split('\n').filter((l) => Object.values(secrets()).some((s) => l.includes(s) || l.includes(encodeURIComponent(s)))).slice(0, 10).join('\n');
    expect(leaks, context).toEqual([]);
  }, 180_000);
});

describe('the logger and error descriptions', () => {
  it('redact credential fields, URL queries and userinfo passwords whoever logs them', () => {
    const lines: string[] = [];
    const log = createLogger('debug', { destination: { write: (line: string) => void lines.push(line) } });
    log.info({ url: `https://feeds.example.org/kev.json?apikey=${sourceKey}` }, 'polled');
    log.warn({ subscription: { id: 's1', target: `https://hooks.slack.com/services/T/B/${slackToken}`, webhookSecret: hookSecret } }, 'changed');
    log.error({ smtpUrl, token: adminToken, headers: { authorization: `Bearer ${adminToken}` } }, 'odd');
    log.error({ err: describeError(new Error(`connect ECONNREFUSED smtp://secwatch:${encodeURIComponent(smtpPassword)}@127.0.0.1:25`)) }, 'failed');
    const all = lines.join('');
    expect(lines).toHaveLength(4);
    expect(all).toContain('https://feeds.example.org/kev.json?…');
    expect(all).toContain('smtp://secwatch:[redacted]@127.0.0.1:25');
    for (const [name, value] of Object.entries(secrets())) {
      expect(all, name).not.toContain(value);
      expect(all, name).not.toContain(encodeURIComponent(value));
    }
  });
});
