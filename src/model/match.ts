import type { InventoryItem } from './inventory.js';

export type Confidence = 'high' | 'medium' | 'low';

/** An advisory hitting an inventory item, with why we think so. */
export interface Match {
  readonly advisoryId: string;
  readonly item: InventoryItem;
  readonly reason: string;
  readonly confidence: Confidence;
  /** ISO date (YYYY-MM-DD) the fix must be applied by, or null when the policy sets no date. */
  readonly applyBy: string | null;
  /** The rule that produced applyBy, e.g. "kev:dueDate" or "msrc-classic:critical (tested first)". */
  readonly applyByRule: string;
}
