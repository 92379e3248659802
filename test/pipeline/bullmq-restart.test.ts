import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { closedPort } from '../helpers/http-server.js';
import { pgSchemas } from '../helpers/postgres.js';
import { queuesIdle, startReceiver, testPrefix, waitFor, writeRunnerConfig } from '../helpers/runner-fixture.js';
import { openQueues } from '../../src/pipeline/queues.js';
import { startWorkerProcess, type WorkerProcess } from '../helpers/worker-process.js';

// Redis restarted mid-run: a private redis-server (append-only file on, as a BullMQ Redis should
// run) on its own port, so the machine's shared Redis and the other test files are untouched.

const schemas = pgSchemas('restart');
const dir = mkdtempSync(join(tmpdir(), 'secwatch-redis-'));
let redis: ChildProcess | undefined;
let worker: WorkerProcess | undefined;

async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', ''], { stdio: 'ignore' });
  await waitFor('private redis answers', () => spawnSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8' }).stdout.trim() === 'PONG', 20_000);
  return child;
}

async function stopRedis(child: ChildProcess, port: number): Promise<void> {
  const exited = new Promise((r) => child.once('exit', r));
  spawnSync('redis-cli', ['-p', String(port), 'shutdown']);
  await exited;
}

afterAll(async () => {
  await worker?.kill();
  redis?.kill('SIGKILL');
  await schemas.dropAll();
  rmSync(dir, { recursive: true, force: true });
});

describe('redis restarted mid-run', () => {
  it('workers reconnect and finish; every alert is accepted exactly once', async () => {
    const port = await closedPort();
    const redisUrl = `redis://127.0.0.1:${port}`;
    redis = await startRedis(port);
    // After three answers the receiver holds every request until Redis is back: the run is
    // certainly still going when Redis goes away.
    let answered = 0;
    let released = false;
    const held: (() => void)[] = [];
    const hook = await startReceiver((_req, res) => {
      const answer = (): void => void res.writeHead(204).end();
      if (released || answered < 3) {
        answered++;
        answer();
      } else held.push(answer);
    });
    const storeUrl = schemas.url();
    const store = await openStore(storeUrl);
    try {
      const prefix = testPrefix('restart');
      const configFile = writeRunnerConfig({ hookUrl: hook.url, storeUrl, prefix });
      worker = startWorkerProcess(configFile, redisUrl, ['--concurrency', '1']);
      await waitFor('some deliveries sent', async () => (await store.listDeliveries({ status: 'sent' })).length >= 3);
      await stopRedis(redis, port);
      const sentBeforeRestart = (await store.listDeliveries({ status: 'sent' })).length;
      redis = await startRedis(port);
      released = true;
      held.splice(0).forEach((answer) => answer());
      // Every stage's jobs done (ingest → match → deliver come after the poll) and all sent.
      const queues = openQueues({ redisUrl, prefix });
      try {
        await waitFor('every delivery sent after the restart', async () => {
          const all = await store.listDeliveries();
          const polled = (await store.getSourceState('cisa-kev'))?.lastSuccessAt !== undefined;
          return all.length > 0 && polled && all.every((d) => d.status === 'sent') && (await queuesIdle(queues));
        });
      } finally {
        await queues.close();
      }
      const keys = (await store.listDeliveries()).map((d) => d.key).sort();
      expect(sentBeforeRestart).toBeLessThan(keys.length);
      expect(hook.ids().sort()).toEqual(keys);
      expect(worker.child.exitCode).toBeNull(); // the same process carried on
    } finally {
      await store.close();
      await hook.close();
    }
  }, 180_000);
});
