import { SEVERITIES, isAtLeast } from '../model/severity.js';
import type { Advisory } from '../model/advisory.js';
import type { Subscription } from '../model/subscription.js';
import type { Store } from '../store/store.js';
import type { FeedEntry } from './json-feed.js';

/**
 * One subscriber's items: what their filters would alert them about (severity floor, sources,
 * kinds, matched-only), latest changes first, with the matches of each. The same rule as
 * planAlerts, asked of the store so it holds over all history, not only new items.
 */
export async function subscriptionEntries(store: Store, sub: Subscription, limit: number): Promise<FeedEntry[]> {
  const { minSeverity, matchedOnly, sources, kinds } = sub.settings;
  const page = await store.queryAdvisories({
    limit,
    severities: SEVERITIES.filter((s) => isAtLeast(s, minSeverity)),
    ...(sources ? { sourceIds: sources } : {}),
    // Reminders are not feed items; a subscription to reminders only has an empty feed.
    ...(kinds ? { kinds: kinds.filter((k): k is Advisory['kind'] => k !== 'reminder') } : {}),
    ...(matchedOnly ? { matched: true } : {}),
  });
  const matches = await store.listMatches(page.items.map((s) => s.advisory.id));
  return page.items.map((stored) => ({ stored, matches: matches.filter((m) => m.advisoryId === stored.advisory.id) }));
}
