// `secwatch worker` as a real child process (the compiled CLI: `npm test` builds first).
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { HOOK_SECRET } from './runner-fixture.js';

const BIN = fileURLToPath(new URL('../../bin/secwatch.js', import.meta.url));

/** A running worker process; `stop()` sends SIGTERM and waits, `kill()` sends SIGKILL and waits. */
export interface WorkerProcess {
  readonly child: ChildProcess;
  readonly stderr: () => string;
  readonly exited: Promise<number | null>;
  stop(): Promise<number | null>;
  kill(): Promise<number | null>;
}

/** Start one worker on `configFile` with `REDIS_URL` and extra CLI flags. */
export function startWorkerProcess(configFile: string, redisUrl: string, flags: readonly string[] = []): WorkerProcess {
  const child = spawn(process.execPath, [BIN, 'worker', '--config', configFile, ...flags], {
    env: { ...process.env, REDIS_URL: redisUrl, HOOK_SECRET, SECWATCH_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr?.on('data', (c: Buffer) => {
    err += c.toString('utf8');
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const signal = async (sig: NodeJS.Signals): Promise<number | null> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(sig);
    return exited;
  };
  return { child, stderr: () => err, exited, stop: () => signal('SIGTERM'), kill: () => signal('SIGKILL') };
}
