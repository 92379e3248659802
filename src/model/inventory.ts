/** One thing we run, as the operator's inventory describes it (DESIGN.md "Matching"). */
export interface InventoryItem {
  readonly name: string;
  readonly vendor?: string;
  readonly product?: string;
  readonly version?: string;
  readonly cpe?: string;
  readonly purl?: string;
  readonly instances: number;
  readonly location?: string;
  readonly collection: string;
  readonly exposed?: boolean;
  readonly owner?: string;
  /** The team tests patches before rollout: msrc-classic then allows the longer window. */
  readonly testsFirst?: boolean;
}
