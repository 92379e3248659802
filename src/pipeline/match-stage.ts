import { matchAdvisory } from '../match/match.js';
import type { Match } from '../model/match.js';
import type { UpsertOutcome } from '../store/store.js';
import type { Deps } from './deps.js';

/** Stage 3: match new and materially revised advisories against the inventory and keep the matches. */
export async function matchChanged(deps: Deps, outcomes: readonly UpsertOutcome[]): Promise<Map<string, Match[]>> {
  const byAdvisory = new Map<string, Match[]>();
  for (const outcome of outcomes) {
    if (outcome.status !== 'new' && outcome.status !== 'revised') continue;
    const matches = matchAdvisory(outcome.advisory, deps.inventory, deps.policy);
    // A revision can drop a product: replace (also with nothing) so stale matches do not linger.
    if (matches.length > 0 || outcome.status === 'revised') await deps.store.replaceMatches(outcome.advisory.id, matches);
    byAdvisory.set(outcome.advisory.id, matches);
  }
  return byAdvisory;
}
