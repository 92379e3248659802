import { matchAdvisory } from '../match/match.js';
import type { Match } from '../model/match.js';
import type { UpsertOutcome } from '../store/store.js';
import type { Deps } from './deps.js';
import { currentInventory } from './current-inventory.js';

/** Stage 3: match new and materially revised advisories against the inventory and keep the matches. */
export async function matchChanged(deps: Deps, outcomes: readonly UpsertOutcome[]): Promise<Map<string, Match[]>> {
  const byAdvisory = new Map<string, Match[]>();
  if (!outcomes.some((o) => o.status === 'new' || o.status === 'revised')) return byAdvisory;
  // Config inventory files plus the store's imported collections (src/inventory/effective.ts).
  const inventory = await currentInventory(deps);
  for (const outcome of outcomes) {
    if (outcome.status !== 'new' && outcome.status !== 'revised') continue;
    const matches = matchAdvisory(outcome.advisory, inventory, deps.policy);
    // A revision can drop a product: replace (also with nothing) so stale matches do not linger.
    if (matches.length > 0 || outcome.status === 'revised') await deps.store.replaceMatches(outcome.advisory.id, matches);
    byAdvisory.set(outcome.advisory.id, matches);
  }
  return byAdvisory;
}
