// Whole processes (start-up included) as benchmark sides, for baselines that are programs, not
// functions: time them with compareMs(() => runProcess(a), () => runProcess(b)).
import { spawnSync } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';

export interface ProcessRun {
  readonly command: string;
  readonly args: readonly string[];
  /** File whose bytes go to stdin, if any. */
  readonly stdinFile?: string;
}

/** Runs the command to completion, stdout discarded; throws with its stderr if it fails. */
export function runProcess(run: ProcessRun): void {
  const stdin = run.stdinFile === undefined ? 'ignore' : openSync(run.stdinFile, 'r');
  let result;
  try {
    result = spawnSync(run.command, run.args, { stdio: [stdin, 'ignore', 'pipe'] });
  } finally {
    if (typeof stdin === 'number') closeSync(stdin);
  }
  if (result.status !== 0) {
    throw new Error(`${run.command} ${run.args.join(' ')} exited ${result.status ?? result.signal}: ${result.stderr.toString('utf8').slice(0, 300)}`);
  }
}

/** The absolute path of `name` on $PATH, or undefined. */
export function which(name: string): string | undefined {
  const r = spawnSync('/bin/sh', ['-c', 'command -v "$0"', name], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() || undefined : undefined;
}
