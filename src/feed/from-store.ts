import type { Config } from '../config/load.js';
import type { ApplyByPolicy } from '../normalize/apply-by.js';
import type { Store } from '../store/store.js';
import { buildJsonFeed, type JsonFeed } from './json-feed.js';
import { withProvenance } from './provenance.js';

/** The global JSON Feed as served over HTTP and printed by `secwatch feed`: latest changes first. */
export async function feedFromStore(store: Store, config: Config, policy: ApplyByPolicy, query: { sourceId?: string } = {}): Promise<JsonFeed> {
  const stored = await store.listAdvisories({ limit: config.feed.limit, ...query });
  const matches = await store.listMatches(stored.map((s) => s.advisory.id));
  const byAdvisory = new Map<string, typeof matches>();
  for (const m of matches) byAdvisory.set(m.advisoryId, [...(byAdvisory.get(m.advisoryId) ?? []), m]);
  return buildJsonFeed(
    await withProvenance(store, stored.map((s) => ({ stored: s, matches: byAdvisory.get(s.advisory.id) ?? [] }))),
    { title: config.feed.title, homePageUrl: config.feed.homePageUrl, feedUrl: config.feed.feedUrl },
    policy,
  );
}
