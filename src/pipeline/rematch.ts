// Re-match the stored advisories after an inventory import, so an advisory stored before the import
// shows the new items (deadlines, feeds, GET /advisories/{id}) and stops showing removed ones.
//
// No alerts are planned here, on purpose: an import of a large SBOM could otherwise send hundreds
// of alerts about old advisories at once. The new matches are stored; the remind stage reads them
// like any other (README "Inventory import").
import { matchAdvisory } from '../match/match.js';
import type { Match } from '../model/match.js';
import type { Deps } from './deps.js';
import { currentInventory } from './current-inventory.js';

export interface RematchCounts {
  /** Stored advisories looked at. */
  readonly advisories: number;
  /** Advisories whose matches were replaced. */
  readonly replaced: number;
  readonly added: number;
  readonly removed: number;
  /** Same advisory and item, but reason, confidence or apply-by differ (e.g. the item's version changed). */
  readonly changed: number;
}

/**
 * Match every stored advisory against the effective inventory (config files + stored collections)
 * and replace the matches of those whose matches differ. The index's candidate lookup keeps each
 * advisory's cost to its candidate items, not advisories × items. Running it twice changes nothing.
 */
export async function rematchStoredAdvisories(deps: Pick<Deps, 'store' | 'inventory' | 'policy'>): Promise<RematchCounts> {
  const inventory = await currentInventory(deps);
  const advisories = await deps.store.listAdvisories();
  const before = groupByAdvisory(await deps.store.listMatches());
  let replaced = 0;
  let added = 0;
  let removed = 0;
  let changed = 0;
  for (const { advisory } of advisories) {
    // No firstSeen, as in the match stage (match-stage.ts), so a rematch agrees with what it stored.
    const now = new Map(matchAdvisory(advisory, inventory, deps.policy).map((m) => [itemKey(m), m]));
    const old = before.get(advisory.id) ?? new Map<string, Match>();
    const diff = compare(old, now);
    if (diff.added + diff.removed + diff.changed === 0) continue;
    await deps.store.replaceMatches(advisory.id, [...now.values()]);
    replaced += 1;
    added += diff.added;
    removed += diff.removed;
    changed += diff.changed;
  }
  return { advisories: advisories.length, replaced, added, removed, changed };
}

/** "added 3, removed 1, changed 0 match(es) on 2 stored advisory(ies)": the commands' summary line. */
export function describeRematch(c: RematchCounts): string {
  return `rematch: added ${c.added}, removed ${c.removed}, changed ${c.changed} match(es) on ${c.replaced} of ${c.advisories} stored advisory(ies); no alerts planned`;
}

const itemKey = (m: Match): string => `${m.item.collection}\u0000${m.item.name}`;

function groupByAdvisory(matches: readonly Match[]): Map<string, Map<string, Match>> {
  const out = new Map<string, Map<string, Match>>();
  for (const m of matches) {
    const byItem = out.get(m.advisoryId) ?? new Map<string, Match>();
    byItem.set(itemKey(m), m);
    out.set(m.advisoryId, byItem);
  }
  return out;
}

function compare(old: ReadonlyMap<string, Match>, now: ReadonlyMap<string, Match>): { added: number; removed: number; changed: number } {
  let added = 0;
  let changed = 0;
  for (const [key, m] of now) {
    const prior = old.get(key);
    if (!prior) added += 1;
    else if (canonical(prior) !== canonical(m)) changed += 1;
  }
  let removed = 0;
  for (const key of old.keys()) if (!now.has(key)) removed += 1;
  return { added, removed, changed };
}

/** Key order may differ after a store round trip (JSON columns), so compare with sorted keys. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}
