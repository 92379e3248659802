import { createApp } from '../../app.js';
import { feedFromStore } from '../../feed/from-store.js';
import { loadCliConfig } from '../config-option.js';

/** `secwatch feed`: the JSON Feed 1.1 document exactly as served over HTTP. */
export async function feedCommand(options: { config?: string; source?: string }): Promise<number> {
  const config = loadCliConfig(options.config);
  const app = await createApp(config);
  try {
    const feed = await feedFromStore(app.store, config, app.policy, options.source ? { sourceId: options.source } : {});
    process.stdout.write(JSON.stringify(feed, null, 2) + '\n');
    return 0;
  } finally {
    await app.close();
  }
}
