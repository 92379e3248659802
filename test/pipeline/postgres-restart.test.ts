import { spawnSync } from 'node:child_process';
import { chownSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openQueues, type Queues } from '../../src/pipeline/queues.js';
import { openStore, type Store } from '../../src/store/index.js';
import { closedPort } from '../helpers/http-server.js';
import { obliterateAll, queuesIdle, REDIS_TEST_URL, startReceiver, testPrefix, waitFor, writeRunnerConfig } from '../helpers/runner-fixture.js';
import { startWorkerProcess, type WorkerProcess } from '../helpers/worker-process.js';

// PostgreSQL restarted under a running worker: a private cluster (initdb in a temp folder, its own
// port), so the machine's shared server and the other test files are untouched.

/** The server's own binaries (Debian layout: /usr/lib/postgresql/<major>/bin), newest major first. */
const PG_BIN =
  process.env.SECWATCH_TEST_PG_BIN ??
  join('/usr/lib/postgresql', readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a))[0] ?? '15', 'bin');
const dir = mkdtempSync(join(tmpdir(), 'secwatch-pg-'));
const data = join(dir, 'data');
let port = 0;
let worker: WorkerProcess | undefined;
let queues: Queues | undefined;

/** Run a PostgreSQL tool as the postgres user when we are root (initdb refuses root). */
function pgTool(tool: string, args: string[]): void {
  const cmd = join(PG_BIN, tool);
  const r = userInfo().uid === 0 ? spawnSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { encoding: 'utf8' }) : spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${tool} ${args.join(' ')}: ${r.stderr || r.stdout}`);
}
const startPg = () => pgTool('pg_ctl', ['-D', data, '-w', '-l', join(dir, 'log'), '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`, 'start']);
const stopPg = () => pgTool('pg_ctl', ['-D', data, '-w', '-m', 'fast', 'stop']);

beforeAll(async () => {
  port = await closedPort();
  if (userInfo().uid === 0) {
    const id = (flag: string): number => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
    chownSync(dir, id('-u'), id('-g'));
  }
  pgTool('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  startPg();
}, 60_000);

afterAll(async () => {
  await worker?.kill();
  if (queues) {
    await obliterateAll(queues);
    await queues.close();
  }
  try {
    stopPg();
  } catch {
    // already stopped by a failed test
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('postgresql restarted mid-run', () => {
  it('a poll that finds the store down is retried; deliveries interrupted by the restart are not lost', async () => {
    let answered = 0;
    let holding = true;
    const held: (() => void)[] = [];
    // After three answers the receiver holds requests: they are in flight while PostgreSQL stops.
    const hook = await startReceiver((_req, res) => {
      const answer = (): void => void res.writeHead(204).end();
      if (!holding || answered < 3) {
        answered++;
        answer();
      } else held.push(answer);
    });
    const storeUrl = `postgresql://postgres@127.0.0.1:${port}/postgres?schema=secwatch`;
    const prefix = testPrefix('pgrestart');
    queues = openQueues({ redisUrl: REDIS_TEST_URL, prefix });
    let store: Store = await openStore(storeUrl);
    try {
      const configFile = writeRunnerConfig({ hookUrl: hook.url, storeUrl, prefix });
      worker = startWorkerProcess(configFile, REDIS_TEST_URL, ['--no-schedule', '--concurrency', '2']);
      await waitFor('worker registered', async () => (await queues?.poll.getWorkersCount()) === 1);

      // 1. The poll stage meets a stopped database: the job fails, BullMQ retries it later.
      await store.close();
      stopPg();
      await queues.poll.addBulk(['cisa-kev', 'debian'].map((sourceId) => ({ name: 'poll', data: { sourceId }, opts: { jobId: `poll-${sourceId}-restart` } })));
      await waitFor('a poll attempt failed on the stopped store', async () => {
        const jobs = await queues!.poll.getJobs(['delayed', 'wait', 'active']);
        return jobs.some((j) => j.attemptsMade >= 1 && /STORE|ECONNREFUSED|postgres/i.test(j.failedReason));
      });
      startPg();
      store = await openStore(storeUrl);
      await waitFor('three deliveries answered, more in flight', () => answered >= 3 && held.length >= 1);

      // 2. Stop the database while deliveries are in flight; their results cannot be recorded.
      stopPg();
      const inFlight = held.length;
      holding = false;
      held.splice(0).forEach((answer) => answer());
      startPg();
      await waitFor('every delivery recorded as sent', async () => {
        const all = await store.listDeliveries().catch(() => []);
        const polled = (await store.getSourceState('cisa-kev').catch(() => undefined))?.lastSuccessAt !== undefined;
        return polled && all.length > 0 && all.every((d) => d.status === 'sent') && queues !== undefined && (await queuesIdle(queues));
      }).catch(async (err: unknown) => {
        const all = await store.listDeliveries().catch(() => []);
        const states = all.filter((d) => d.status !== 'sent').map((d) => `${d.key}=${d.status}/${d.attempts}/${d.lastError ?? ''}`);
        throw new Error(`${String(err)}: ${all.length} deliveries, not sent: ${states.join(', ')}; worker: ${worker?.stderr().slice(-1500) ?? ''}`);
      });

      const keys = (await store.listDeliveries()).map((d) => d.key).sort();
      const ids = hook.ids();
      // Nothing lost: every planned alert reached the receiver.
      expect([...new Set(ids)].sort()).toEqual(keys);
      // At most the alerts in flight at the stop came twice (sent, but not recorded): same webhook-id, so receivers dedupe.
      expect(ids.length - keys.length).toBeLessThanOrEqual(inFlight);
      expect(worker.child.exitCode).toBeNull();
    } finally {
      await store.close();
      await hook.close();
    }
  }, 180_000);
});
