// The fault matrix: every way a source, the store, the SMTP server, a webhook receiver or the
// process itself can fail, one case each, on real parts (HTTP servers, SMTP server, SQLite, a
// private PostgreSQL cluster, the compiled CLI). Each case first meets the fault, then recovers,
// and asserts the same thing: every expected alert was accepted by its receiver exactly once —
// nothing lost, nothing duplicated. afterAll prints the table of cases and outcomes.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { SMTPServer } from 'smtp-server';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { resolveConfig } from '../../src/config/load.js';
import { runCycle, type CycleSummary } from '../../src/pipeline/index.js';
import { fixedClock } from '../../src/util/clock.js';
import { silentLogger } from '../../src/util/logger.js';
import { corpusPath } from '../helpers/corpus.js';
import { closedPort } from '../helpers/http-server.js';
import { createPgCluster } from './pg-cluster.js';

const BIN = fileURLToPath(new URL('../../bin/secwatch.js', import.meta.url));
const HOOK_SECRET = `whsec_${Buffer.from('fault-matrix-secret-0123456789ab').toString('base64')}`;

// A small catalog cut from the real one: the entries the inventory names plus some others.
interface KevEntry { cveID: string; vendorProject: string; product: string }
const FULL = JSON.parse(readFileSync(corpusPath('kev/known_exploited_vulnerabilities.2025-08-25.json'), 'utf8')) as { vulnerabilities: KevEntry[] } & Record<string, unknown>;
const named = (v: KevEntry) => (v.vendorProject === 'Apache' && v.product === 'OFBiz') || (v.vendorProject === 'Git' && v.product === 'Git');
const picked = [...FULL.vulnerabilities.filter(named), ...FULL.vulnerabilities.filter((v) => !named(v)).slice(0, 20)];
const CATALOG = Buffer.from(JSON.stringify({ ...FULL, count: picked.length, vulnerabilities: picked }));
/** The advisories that must reach every subscriber, computed from the catalog, not from secwatch. */
const EXPECTED = picked.filter(named).map((v) => `kev:${v.cveID}`).sort();

// ---- the table -------------------------------------------------------------------------------

interface Row { case: string; fault: string; during: string; after: string; accepted: string; duplicates: number }
const table: Row[] = [];
afterAll(() => {
  const width = (k: keyof Row) => Math.max(String(k).length, ...table.map((r) => String(r[k]).length));
  const keys: (keyof Row)[] = ['case', 'fault', 'during', 'after', 'accepted', 'duplicates'];
  const line = (r: Record<keyof Row, unknown>) => keys.map((k) => String(r[k]).padEnd(width(k))).join(' | ');
  const header = Object.fromEntries(keys.map((k) => [k, k])) as Record<keyof Row, unknown>;
  console.log(['fault matrix', line(header), keys.map((k) => '-'.repeat(width(k))).join('-|-'), ...table.map(line)].join('\n'));
});

// ---- parts -------------------------------------------------------------------------------------

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** An HTTP server on 127.0.0.1 whose behaviour the case switches; hung responses are cut on close. */
async function server(handler: { current: Handler }, port = 0): Promise<{ url: string; close(): Promise<void> }> {
  const s: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => handler.current(req, res));
  });
  await new Promise<void>((resolve) => s.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(s.address() as AddressInfo).port}`,
    close: () =>
      new Promise((resolve) => {
        s.closeAllConnections();
        s.close(() => resolve());
      }),
  };
}

/** A webhook receiver: `answer(id, n)` decides the n-th request (1-based) for a webhook-id. */
async function receiver(answer: (id: string, n: number) => 'ok' | 'hang' | { status: number; headers?: Record<string, string> }) {
  const seen = new Map<string, number>();
  const accepted: string[] = [];
  const handler = {
    current: ((req, res) => {
      const id = String(req.headers['webhook-id']);
      const n = (seen.get(id) ?? 0) + 1;
      seen.set(id, n);
      const a = answer(id, n);
      if (a === 'hang') return; // never answers: the sender times out
      if (a === 'ok') {
        accepted.push(id);
        return void res.writeHead(204).end();
      }
      res.writeHead(a.status, a.headers ?? {}).end('no');
    }) as Handler,
  };
  const s = await server(handler);
  return { ...s, accepted, requests: () => [...seen.values()].reduce((a, b) => a + b, 0) };
}

/** Advisory ids accepted, and how many were accepted more than once. */
function judge(accepted: readonly string[]): { ids: string[]; duplicates: number } {
  const advisory = (id: string) => id.replace(/^[^:]+:/, '').replace(/:\d+$/, '');
  const ids = accepted.map(advisory);
  return { ids: [...new Set(ids)].sort(), duplicates: ids.length - new Set(ids).size };
}

function describeCycle(c: CycleSummary | Error): string {
  if (c instanceof Error) return `cycle failed: ${c.message.slice(0, 60)}`;
  const errs = c.sources.filter((s) => s.status === 'error').map((s) => (s.status === 'error' ? s.code : ''));
  const d = c.deliveries;
  return `${errs.length ? `source ${errs.join(',')}; ` : ''}sent ${d.sent}, retry ${d.retry}, failed ${d.failed}`;
}

interface World {
  readonly app: App;
  readonly clock: ReturnType<typeof fixedClock>;
  cycle(): Promise<CycleSummary | Error>;
  close(): Promise<void>;
}

/** An in-process app: the catalog at `sourceUrl`, subscriptions as given, a clock the case moves. */
async function world(opts: { sourceUrl: string; subscriptions: unknown[]; storeUrl?: string; env?: Record<string, string> }): Promise<World> {
  const dir = mkdtempSync(join(tmpdir(), 'secwatch-fm-'));
  writeFileSync(join(dir, 'inventory.yaml'), 'items:\n  - { name: erp, vendor: Apache, product: OFBiz, instances: 2, collection: apps }\n  - { name: git, vendor: Git, product: Git, instances: 12, collection: ci }\n');
  const config = resolveConfig(
    {
      dataDir: dir,
      ...(opts.storeUrl ? { store: { url: opts.storeUrl } } : {}),
      fetch: { timeout: '2s' },
      sources: [{ id: 'kev', kind: 'kev', url: opts.sourceUrl }],
      inventory: { files: [join(dir, 'inventory.yaml')] },
      subscriptions: opts.subscriptions,
      email: { from: 'secwatch <secwatch@example.org>', transport: 'smtp' },
      network: { allowPrivateHosts: ['127.0.0.1'] },
    },
    { baseDir: dir, env: { HOOK_SECRET, ...opts.env } },
  );
  const clock = fixedClock('2025-08-26T09:00:00Z');
  const app = await createApp(config, { clock, log: silentLogger, random: () => 0.5 });
  return {
    app,
    clock,
    cycle: () => runCycle(app).catch((err: unknown) => (err instanceof Error ? err : new Error(String(err)))),
    close: () => app.close(),
  };
}

const hookSub = (url: string) => ({ id: 'hook', channel: 'webhook', url: `${url}/hook`, secretEnv: 'HOOK_SECRET', minSeverity: 'low' });
const later = (w: World, ms: number) => w.clock.set(new Date(w.clock.now().getTime() + ms));

// ---- source faults -----------------------------------------------------------------------------

describe('fault matrix', () => {
  type SourceFault = 'down' | 'slow' | 'truncated' | 'malformed';
  const serveCatalog: Handler = (_req, res) => void res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(CATALOG.length) }).end(CATALOG);
  const faulty: Record<Exclude<SourceFault, 'down'>, Handler> = {
    slow: () => undefined, // headers never come
    truncated: (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(CATALOG.length) });
      res.write(CATALOG.subarray(0, CATALOG.length >> 1));
      setImmediate(() => res.socket?.destroy());
    },
    malformed: (_req, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end('{"title":"CISA Catalog","vulnerabilities":[{"cveID":'),
  };

  it.each(['down', 'slow', 'truncated', 'malformed'] as const)('source %s, then back: every alert once', async (fault) => {
    const hook = await receiver(() => 'ok');
    const handler = { current: fault === 'down' ? serveCatalog : faulty[fault] };
    // "down": nothing listens on the port at first (connection refused); the server comes up later.
    const port = await closedPort();
    let source = fault === 'down' ? undefined : await server(handler, port);
    const w = await world({ sourceUrl: `http://127.0.0.1:${port}/kev.json`, subscriptions: [hookSub(hook.url)] });
    try {
      const during = await w.cycle();
      expect(during instanceof Error ? during : during.sources[0]?.status).toBe('error');
      expect(hook.accepted).toEqual([]);
      handler.current = serveCatalog;
      source ??= await server(handler, port);
      later(w, 3_600_000);
      const after = await w.cycle();
      later(w, 3_600_000);
      const again = await w.cycle(); // a further round must not send anything twice
      const { ids, duplicates } = judge(hook.accepted);
      table.push({ case: `source ${fault}`, fault: { down: 'connection refused', slow: 'no answer within fetch.timeout', truncated: 'body cut at half', malformed: 'invalid JSON' }[fault], during: describeCycle(during), after: `${describeCycle(after)}; then ${describeCycle(again)}`, accepted: `${ids.length}/${EXPECTED.length}`, duplicates });
      expect(ids).toEqual(EXPECTED);
      expect(duplicates).toBe(0);
    } finally {
      await w.close();
      await Promise.all([hook.close(), source?.close()]);
    }
  });

  // ---- store faults ------------------------------------------------------------------------------

  it('store locked (SQLite busy: another connection holds an exclusive lock), then released', async () => {
    const hook = await receiver(() => 'ok');
    const source = await server({ current: serveCatalog });
    const w = await world({ sourceUrl: `${source.url}/kev.json`, subscriptions: [hookSub(hook.url)] });
    const file = w.app.config.storeUrl.replace(/^sqlite:/, '');
    const other = new Database(file);
    try {
      other.exec('BEGIN EXCLUSIVE');
      const during = await w.cycle();
      expect(during instanceof Error || during.sources[0]?.status === 'error').toBe(true);
      other.exec('ROLLBACK');
      later(w, 3_600_000);
      const after = await w.cycle();
      later(w, 3_600_000);
      await w.cycle();
      const { ids, duplicates } = judge(hook.accepted);
      table.push({ case: 'store locked', fault: 'SQLITE_BUSY past busy_timeout', during: describeCycle(during), after: describeCycle(after), accepted: `${ids.length}/${EXPECTED.length}`, duplicates });
      expect(ids).toEqual(EXPECTED);
      expect(duplicates).toBe(0);
    } finally {
      other.close();
      await w.close();
      await Promise.all([hook.close(), source.close()]);
    }
  }, 90_000);

  it('store restarted (PostgreSQL stopped under a running app, then started)', async () => {
    const pg = await createPgCluster();
    const hook = await receiver(() => 'ok');
    const source = await server({ current: serveCatalog });
    let w: World | undefined;
    try {
      w = await world({ sourceUrl: `${source.url}/kev.json`, subscriptions: [hookSub(hook.url)], storeUrl: pg.url('faultmatrix') });
      pg.stop();
      const during = await w.cycle();
      expect(during instanceof Error || during.sources[0]?.status === 'error').toBe(true);
      expect(hook.accepted).toEqual([]);
      pg.start();
      later(w, 3_600_000);
      const after = await w.cycle();
      later(w, 3_600_000);
      await w.cycle();
      const { ids, duplicates } = judge(hook.accepted);
      table.push({ case: 'store restarted', fault: 'PostgreSQL stopped, started', during: describeCycle(during), after: describeCycle(after), accepted: `${ids.length}/${EXPECTED.length}`, duplicates });
      expect(ids).toEqual(EXPECTED);
      expect(duplicates).toBe(0);
    } finally {
      await w?.close();
      await Promise.all([hook.close(), source.close()]);
      pg.destroy();
    }
  }, 120_000);

  // ---- delivery faults ---------------------------------------------------------------------------

  it('SMTP refusing (451), then accepting: each alert mailed once', async () => {
    const refusedOnce = new Set<string>();
    const accepted: string[] = [];
    const smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, _session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const id = /^X-Secwatch-Alert-ID: (\S+)/im.exec(Buffer.concat(chunks).toString('utf8'))?.[1] ?? '?';
          if (!refusedOnce.has(id)) {
            refusedOnce.add(id);
            return callback(Object.assign(new Error('Try again later'), { responseCode: 451 }));
          }
          accepted.push(id);
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
    const source = await server({ current: serveCatalog });
    const w = await world({
      sourceUrl: `${source.url}/kev.json`,
      subscriptions: [{ id: 'mail', channel: 'email', to: ['ops@example.org'], minSeverity: 'low' }],
      env: { SECWATCH_SMTP_URL: smtpUrl },
    });
    try {
      const during = await w.cycle();
      expect(accepted).toEqual([]);
      later(w, 6 * 3_600_000);
      const after = await w.cycle();
      later(w, 6 * 3_600_000);
      await w.cycle();
      const { ids, duplicates } = judge(accepted);
      table.push({ case: 'SMTP refusing', fault: '451 on DATA, then 250', during: describeCycle(during), after: describeCycle(after), accepted: `${ids.length}/${EXPECTED.length}`, duplicates });
      expect(ids).toEqual(EXPECTED);
      expect(duplicates).toBe(0);
    } finally {
      await w.close();
      await source.close();
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
    }
  });

  const webhookCases = [
    { name: 'webhook 500', fault: 'HTTP 500 once, then 204', first: { status: 500 } },
    { name: 'webhook 429', fault: '429 + Retry-After: 7200 once, then 204', first: { status: 429, headers: { 'retry-after': '7200' } } },
    { name: 'webhook timeout', fault: 'no answer once (fetch.timeout), then 204', first: 'hang' as const },
  ];
  it.each(webhookCases)('$name, then accepting: each alert accepted once', async ({ name, fault, first }) => {
    const hook = await receiver((_id, n) => (n === 1 ? first : 'ok'));
    const source = await server({ current: serveCatalog });
    const w = await world({ sourceUrl: `${source.url}/kev.json`, subscriptions: [hookSub(hook.url)] });
    try {
      const during = await w.cycle();
      expect(hook.accepted).toEqual([]);
      if (name === 'webhook 429') {
        // Retry-After is honoured: an hour later (before the two the receiver asked for) nothing is sent.
        later(w, 3_600_000);
        const tooEarly = hook.requests();
        await w.cycle();
        expect(hook.requests()).toBe(tooEarly);
      }
      later(w, 2 * 3_600_000);
      const after = await w.cycle();
      later(w, 6 * 3_600_000);
      await w.cycle();
      const { ids, duplicates } = judge(hook.accepted);
      // A retried alert reaches the receiver again under the same webhook-id; only one answer accepted it.
      table.push({ case: name, fault, during: describeCycle(during), after: `${describeCycle(after)} (${hook.requests()} requests in all)`, accepted: `${ids.length}/${EXPECTED.length}`, duplicates });
      expect(ids).toEqual(EXPECTED);
      expect(duplicates).toBe(0);
    } finally {
      await w.close();
      await Promise.all([hook.close(), source.close()]);
    }
  });

  it('webhook 410 Gone: each alert attempted once, recorded as failed (visible, not retried, not lost)', async () => {
    const hook = await receiver(() => ({ status: 410 }));
    const source = await server({ current: serveCatalog });
    const w = await world({ sourceUrl: `${source.url}/kev.json`, subscriptions: [hookSub(hook.url)] });
    try {
      const during = await w.cycle();
      later(w, 24 * 3_600_000);
      const after = await w.cycle();
      const deliveries = await w.app.store.listDeliveries();
      const failed = deliveries.filter((d) => d.status === 'failed' && /410/.test(d.lastError ?? ''));
      table.push({ case: 'webhook 410', fault: '410 Gone', during: describeCycle(during), after: describeCycle(after), accepted: `0/${EXPECTED.length} (all recorded failed)`, duplicates: hook.requests() - EXPECTED.length });
      expect(failed.map((d) => d.advisoryId).sort()).toEqual(EXPECTED);
      expect(hook.requests()).toBe(EXPECTED.length);
    } finally {
      await w.close();
      await Promise.all([hook.close(), source.close()]);
    }
  });

  // ---- the process dies --------------------------------------------------------------------------

  it('process killed (SIGKILL) while a delivery is in flight, then restarted: each alert accepted once', async () => {
    let kill: (() => void) | undefined;
    let armed = true;
    // The first request the receiver sees is held open and the process is killed while it waits.
    const hook = await receiver(() => {
      if (!armed || !kill) return 'ok';
      armed = false;
      setImmediate(kill);
      return 'hang';
    });
    const dir = mkdtempSync(join(tmpdir(), 'secwatch-fm-kill-'));
    writeFileSync(join(dir, 'kev.json'), CATALOG);
    writeFileSync(join(dir, 'inventory.yaml'), 'items:\n  - { name: erp, vendor: Apache, product: OFBiz, instances: 2, collection: apps }\n  - { name: git, vendor: Git, product: Git, instances: 12, collection: ci }\n');
    const configFile = join(dir, 'secwatch.yaml');
    writeFileSync(
      configFile,
      JSON.stringify({
        dataDir: dir,
        // A short claim lease: the dead process's claim on the in-flight delivery expires soon.
        runner: { kind: 'inline', claimLease: '2s' },
        sources: [{ id: 'kev', kind: 'kev', url: pathToFileURL(join(dir, 'kev.json')).href }],
        inventory: { files: ['inventory.yaml'] },
        subscriptions: [hookSub(hook.url)],
        network: { allowPrivateHosts: ['127.0.0.1'] },
      }),
    );
    const runOnce = () =>
      new Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }>((resolve) => {
        const child = spawn(process.execPath, [BIN, 'run', '--once', '--config', configFile], {
          env: { ...process.env, HOOK_SECRET, SECWATCH_LOG_LEVEL: 'warn', REDIS_URL: '', SECWATCH_REDIS_URL: '' },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let out = '';
        child.stdout.on('data', (c: Buffer) => (out += c.toString()));
        child.stderr.on('data', (c: Buffer) => (out += c.toString()));
        kill = () => child.kill('SIGKILL');
        child.once('exit', (code, signal) => resolve({ code, signal, out }));
      });
    try {
      const first = await runOnce();
      expect(first.signal, first.out).toBe('SIGKILL');
      const seenAtKill = hook.requests();
      expect(hook.accepted).toEqual([]);
      // Restart until every delivery is settled (the dead claim expires after its lease).
      const db = () => new Database(join(dir, 'secwatch.db'), { readonly: true });
      const unsettled = () => {
        const d = db();
        try {
          return d.prepare<[], { n: number }>("SELECT count(*) AS n FROM deliveries WHERE status <> 'sent'").get()!.n;
        } finally {
          d.close();
        }
      };
      let restarts = 0;
      const deadline = Date.now() + 60_000;
      do {
        const r = await runOnce();
        restarts++;
        expect(r.code, r.out).toBe(0);
        if (unsettled() > 0) await new Promise((resolve) => setTimeout(resolve, 500));
      } while (unsettled() > 0 && Date.now() < deadline);
      const { ids, duplicates } = judge(hook.accepted);
      table.push({ case: 'process killed', fault: 'SIGKILL during a send, restart', during: `killed with ${seenAtKill} request(s) in flight`, after: `${restarts} restart(s), all sent`, accepted: `${ids.length}/${EXPECTED.length}`, duplicates });
      expect(ids).toEqual(EXPECTED);
      expect(duplicates).toBe(0);
    } finally {
      await hook.close();
    }
  }, 120_000);
});
