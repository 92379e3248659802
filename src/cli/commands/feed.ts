import { createApp } from '../../app.js';
import { subscriptionEntries } from '../../feed/for-subscription.js';
import { feedFromStore } from '../../feed/from-store.js';
import { buildJsonFeed } from '../../feed/json-feed.js';
import type { Subscription } from '../../model/subscription.js';
import { loadCliConfig } from '../config-option.js';
import { CliFailure } from '../failure.js';

/**
 * `secwatch feed`: the JSON Feed 1.1 document exactly as served over HTTP — global, one source's,
 * or (`--subscription ID`, a store or config subscription) what that subscriber's feed holds.
 */
export async function feedCommand(options: { config?: string; source?: string; subscription?: string }): Promise<number> {
  const config = loadCliConfig(options.config);
  const app = await createApp(config);
  try {
    let feed;
    if (options.subscription !== undefined) {
      const id = options.subscription;
      const fromConfig = config.subscriptions.find((s) => s.id === id);
      // A config subscription has no store row: its filters make the same query.
      const sub: Subscription | undefined =
        (await app.store.getSubscription(id)) ??
        (fromConfig && {
          id,
          // Channel and target play no part in what the feed holds.
          channel: 'webhook',
          target: '',
          settings: { minSeverity: fromConfig.minSeverity, matchedOnly: fromConfig.matchedOnly, ...(fromConfig.sources ? { sources: fromConfig.sources } : {}) },
          status: 'active',
          createdAt: '',
          updatedAt: '',
        });
      if (!sub) throw new CliFailure(1, `no subscription "${id}" in the store or the config`);
      const entries = await subscriptionEntries(app.store, sub, config.feed.limit);
      feed = buildJsonFeed(entries, { title: `${config.feed.title}: ${id}`, homePageUrl: config.feed.homePageUrl }, app.policy);
    } else {
      feed = await feedFromStore(app.store, config, app.policy, options.source ? { sourceId: options.source } : {});
    }
    process.stdout.write(JSON.stringify(feed, null, 2) + '\n');
    return 0;
  } finally {
    await app.close();
  }
}
