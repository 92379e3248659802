// A private PostgreSQL cluster (initdb in a temp folder, its own port) that a test may stop and
// start, the approach of test/pipeline/postgres-restart.test.ts: the machine's shared server and
// the other test files are untouched.
import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { closedPort } from '../helpers/http-server.js';

export interface PgCluster {
  readonly url: (schema: string) => string;
  start(): void;
  stop(): void;
  destroy(): void;
}

/** The server's own binaries (Debian layout), newest major first; undefined when not installed. */
function pgBin(): string | undefined {
  if (process.env.SECWATCH_TEST_PG_BIN) return process.env.SECWATCH_TEST_PG_BIN;
  if (!existsSync('/usr/lib/postgresql')) return undefined;
  const major = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a))[0];
  return major ? join('/usr/lib/postgresql', major, 'bin') : undefined;
}

export async function createPgCluster(): Promise<PgCluster> {
  const bin = pgBin();
  if (!bin) throw new Error('PostgreSQL server binaries not found (set SECWATCH_TEST_PG_BIN)');
  const dir = mkdtempSync(join(tmpdir(), 'secwatch-fm-pg-'));
  const data = join(dir, 'data');
  const port = await closedPort();
  // initdb refuses root: run the tools as the postgres user then.
  const tool = (name: string, args: string[]): void => {
    const cmd = join(bin, name);
    const r = userInfo().uid === 0 ? spawnSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { encoding: 'utf8' }) : spawnSync(cmd, args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${name} ${args.join(' ')}: ${r.stderr || r.stdout}`);
  };
  if (userInfo().uid === 0) {
    const id = (flag: string): number => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
    chownSync(dir, id('-u'), id('-g'));
  }
  tool('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  const start = () => tool('pg_ctl', ['-D', data, '-w', '-l', join(dir, 'log'), '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`, 'start']);
  const stop = () => tool('pg_ctl', ['-D', data, '-w', '-m', 'fast', 'stop']);
  start();
  return {
    url: (schema) => `postgresql://postgres@127.0.0.1:${port}/postgres?schema=${schema}`,
    start,
    stop,
    destroy() {
      try {
        stop();
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
