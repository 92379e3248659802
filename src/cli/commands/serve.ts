import { createApp } from '../../app.js';
import { createMetrics } from '../../http/metrics.js';
import { buildServer } from '../../http/server.js';
import { runInline } from '../../pipeline/inline-runner.js';
import { loadCliConfig } from '../config-option.js';

/**
 * `secwatch serve`: the scheduler loop and the HTTP service in one process. SIGINT/SIGTERM stop
 * taking new work, let the polls in hand finish (every store write is its own transaction, so
 * nothing is half-written), close the server, then the store.
 */
export async function serveCommand(options: { config?: string }): Promise<number> {
  const config = loadCliConfig(options.config);
  const app = await createApp(config);
  const metrics = createMetrics(app.store, app.sources);
  const { server } = buildServer({ ...app, metrics });
  const stop = new AbortController();
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => stop.abort());
  try {
    const address = await server.listen({ host: config.http.host, port: config.http.port });
    process.stderr.write(`secwatch: serving on ${address}${config.adminToken ? '' : ' (SECWATCH_ADMIN_TOKEN not set: management routes disabled)'}\n`);
    if (config.runnerKind === 'bullmq') {
      // API only: `secwatch worker` processes poll and deliver (README "Scaling out").
      process.stderr.write('secwatch: runner bullmq: serving the API only; run `secwatch worker` processes for the work\n');
      await new Promise<void>((resolve) => stop.signal.addEventListener('abort', () => resolve(), { once: true }));
      return 0;
    }
    await runInline(app, stop.signal, (report) => {
      metrics.recordReport(report);
      if (report.status === 'error') process.stderr.write(`secwatch: ${report.error}\n`);
    });
    return 0;
  } finally {
    await server.close();
    await app.close();
  }
}
