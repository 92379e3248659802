import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createApp } from '../../app.js';
import { feedFromStore } from '../../feed/from-store.js';
import { runCycle } from '../../pipeline/cycle.js';
import { runInline } from '../../pipeline/inline-runner.js';
import { loadCliConfig } from '../config-option.js';
import { formatSummary } from '../summary.js';

export interface RunOptions {
  readonly config?: string;
  readonly once?: boolean;
  readonly json?: boolean;
}

/** `secwatch run --once`: one cycle, the feed written, a summary printed. Without --once: the scheduler loop. */
export async function runCommand(options: RunOptions): Promise<number> {
  const config = loadCliConfig(options.config);
  const app = await createApp(config);
  try {
    if (!options.once) {
      const stop = new AbortController();
      for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => stop.abort());
      await runInline(app, stop.signal, (r) => {
        if (r.status === 'error') process.stderr.write(`secwatch: ${r.error}\n`);
      });
      return 0;
    }
    const summary = await runCycle(app);
    const feed = await feedFromStore(app.store, config, app.policy);
    await mkdir(dirname(config.paths.feedFile), { recursive: true });
    await writeFile(config.paths.feedFile, JSON.stringify(feed, null, 2) + '\n');
    const outbox = config.email.transport === 'outbox' && config.subscriptions.some((s) => s.channel === 'email') ? config.paths.outboxDir : undefined;
    process.stdout.write(
      options.json
        ? JSON.stringify({ ...summary, feedFile: config.paths.feedFile, feedItems: feed.items.length, outboxDir: outbox ?? null }) + '\n'
        : formatSummary(summary, { feedFile: config.paths.feedFile, feedItems: feed.items.length, ...(outbox ? { outboxDir: outbox } : {}) }) + '\n',
    );
    // A source error is reported, not fatal: the run still did its work for the others.
    return summary.sources.some((s) => s.status === 'error') ? 1 : 0;
  } finally {
    await app.close();
  }
}
