// `secwatch serve` as a real process (the compiled CLI: `npm test` builds first), SIGKILLed while a
// poll is half-way through a download, then restarted: nothing lost, nothing sent twice.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpusPath } from '../helpers/corpus.js';
import { startServer, type TestServer } from '../helpers/http-server.js';

const BIN = fileURLToPath(new URL('../../bin/secwatch.js', import.meta.url));
const HOOK_SECRET = `whsec_${Buffer.from('serve-kill-test-secret-0123456789').toString('base64')}`;

interface KevEntry { cveID: string; vendorProject: string; product: string }
const OLD = readFileSync(corpusPath('kev/known_exploited_vulnerabilities.2025-08-21.json'));
const NEW = readFileSync(corpusPath('kev/known_exploited_vulnerabilities.2025-08-25.json'));
const entries = (b: Buffer) => (JSON.parse(b.toString('utf8')) as { vulnerabilities: KevEntry[] }).vulnerabilities;
/** What the inventory below names, read from the catalogs themselves. */
const hits = (b: Buffer) =>
  entries(b)
    .filter((v) => (v.vendorProject === 'Apache' && v.product === 'OFBiz') || (v.vendorProject === 'Git' && v.product === 'Git'))
    .map((v) => `kev:${v.cveID}`);

type Mode = 'old' | 'stall' | 'new';
let mode: Mode = 'old';
let stalled = 0;
let source: TestServer;
let receiver: TestServer;
let dir: string;
let configFile: string;

/** Poll `check` until it holds; the deadline only keeps a broken run from hanging (no timing is asserted). */
async function until(what: string, check: () => boolean, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function serve(): { child: ChildProcess; exited: Promise<number | null>; stderr: () => string } {
  const child = spawn(process.execPath, [BIN, 'serve', '--config', configFile], {
    env: { ...process.env, HOOK_SECRET, SECWATCH_LOG_LEVEL: 'warn', REDIS_URL: '', SECWATCH_REDIS_URL: '' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr?.on('data', (c: Buffer) => (err += c.toString('utf8')));
  return { child, exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))), stderr: () => err };
}

beforeAll(async () => {
  source = await startServer((_req, res) => {
    const body = mode === 'old' ? OLD : NEW;
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(body.length) });
    if (mode !== 'stall') return void res.end(body);
    // Half the catalog, then silence: the poll is in flight when the process dies.
    res.write(body.subarray(0, body.length >> 1));
    stalled++;
  });
  receiver = await startServer((_req, res) => void res.writeHead(204).end());
  dir = mkdtempSync(join(tmpdir(), 'secwatch-serve-kill-'));
  writeFileSync(
    join(dir, 'inventory.yaml'),
    'items:\n  - { name: erp, vendor: Apache, product: OFBiz, instances: 2, collection: apps }\n  - { name: git build agents, vendor: Git, product: Git, instances: 12, collection: ci }\n',
  );
  configFile = join(dir, 'secwatch.yaml');
  writeFileSync(
    configFile,
    [
      `dataDir: ${JSON.stringify(dir)}`,
      'sources:',
      `  - { id: cisa-kev, kind: kev, url: "${source.url}/kev.json", interval: 1s }`,
      'inventory: { files: [inventory.yaml] }',
      'subscriptions:',
      `  - { id: hook, channel: webhook, url: "${receiver.url}/hook", secretEnv: HOOK_SECRET, minSeverity: low }`,
      'network: { allowPrivateHosts: ["127.0.0.1"] }',
      'http: { host: 127.0.0.1, port: 0 }',
      '',
    ].join('\n'),
  );
});

afterAll(async () => {
  await source.close();
  await receiver.close();
});

describe('secwatch serve killed during a poll', () => {
  it('loses nothing and sends nothing twice after a restart', async () => {
    const first = serve();
    const oldHits = hits(OLD);
    await until('the first alerts', () => receiver.requests.length >= oldHits.length);

    mode = 'stall';
    await until('a poll stalled half-way', () => stalled > 0);
    first.child.kill('SIGKILL');
    expect(await first.exited).toBeNull();

    mode = 'new';
    const second = serve();
    const newHits = hits(NEW);
    await until('the alerts of the new catalog', () => receiver.requests.length >= newHits.length);
    // Let one more full round pass, so a duplicate would have had its chance to be sent.
    const polled = source.requests.length;
    await until('another poll', () => source.requests.length > polled + 1);
    second.child.kill('SIGTERM');
    expect(await second.exited, second.stderr()).toBe(0);

    const ids = receiver.requests.map((r) => String(r.headers['webhook-id']));
    expect(new Set(ids).size, 'no alert delivered twice').toBe(ids.length);
    expect(ids.map((id) => id.replace(/^hook:/, '').replace(/:\d+$/, '')).sort()).toEqual(newHits.sort());

    const db = new Database(join(dir, 'secwatch.db'), { readonly: true });
    try {
      const ids = db.prepare<[], { id: string }>('SELECT id FROM advisories').all().map((r) => r.id);
      expect(ids.sort()).toEqual(entries(NEW).map((v) => `kev:${v.cveID}`).sort());
      const deliveries = db.prepare<[], { status: string; n: number }>('SELECT status, count(*) AS n FROM deliveries GROUP BY status').all();
      expect(deliveries).toEqual([{ status: 'sent', n: newHits.length }]);
    } finally {
      db.close();
    }
  }, 180_000);
});
