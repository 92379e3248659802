import type { Config } from '../../config/load.js';
import { describeError } from '../../errors.js';
import { openQueues } from '../../pipeline/queues.js';
import { formatQueuesStatus, readQueuesStatus, readRateLimits, retryFailed } from '../../pipeline/queues-status.js';
import { systemClock } from '../../util/clock.js';
import { loadCliConfig } from '../config-option.js';
import { requireRedis } from './worker.js';

export interface StatusCommandOptions {
  readonly config?: string;
  readonly json?: boolean;
  readonly retryFailed?: boolean;
}

/** `secwatch status`: queue depths, workers, oldest waiting job and failed jobs (optionally retried). */
export async function statusCommand(options: StatusCommandOptions): Promise<number> {
  const config: Config = loadCliConfig(options.config);
  const redisUrl = requireRedis(config, 'status');
  let connectionError: string | undefined;
  const queues = openQueues({ redisUrl, prefix: config.runner.prefix }, (err) => {
    connectionError = describeError(err);
  });
  try {
    const retried = options.retryFailed ? await retryFailed(queues) : undefined;
    const status = await readQueuesStatus(queues, systemClock.now());
    const rateLimits = await readRateLimits(queues);
    if (options.json) {
      process.stdout.write(JSON.stringify({ prefix: config.runner.prefix, queues: status, rateLimits, ...(retried === undefined ? {} : { retried }) }) + '\n');
    } else {
      process.stdout.write(`secwatch status (prefix ${config.runner.prefix})\n${formatQueuesStatus(status, rateLimits)}\n`);
      if (retried !== undefined) process.stdout.write(`retried ${retried} failed job(s)\n`);
    }
    return 0;
  } catch (err) {
    process.stderr.write(`secwatch: status: ${connectionError ?? describeError(err)}\n`);
    return 1;
  } finally {
    await queues.close();
  }
}
