import type { Advisory } from '../model/advisory.js';
import type { InventoryItem } from '../model/inventory.js';
import type { Confidence } from '../model/match.js';
import type { InventoryIndex } from './inventory-index.js';

/** One way of deciding that an advisory concerns an inventory item, with its reason and confidence. */
export interface Matcher {
  readonly name: string;
  match(advisory: Advisory, index: InventoryIndex): MatchHit[];
}

export interface MatchHit {
  readonly item: InventoryItem;
  readonly matcher: string;
  readonly reason: string;
  readonly confidence: Confidence;
  /** A version-aware matcher proved the item unaffected (fixed version): weaker matchers may not overrule it. */
  readonly notAffected?: true;
}

export const CONFIDENCE_RANK: Record<Confidence, number> = { high: 3, medium: 2, low: 1 };
