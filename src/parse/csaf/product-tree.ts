// CSAF 2.0 §3.1.2 (branches) and §3.2.3 (product_tree): flatten the tree into products.
import type { CsafBranch, CsafDocument, CsafFullProductName } from './wire.js';

/** One product of the tree with what its ancestors say about it. */
export interface TreeProduct {
  readonly id: string;
  readonly fullName: string;
  readonly vendor?: string;
  /** The product_name branch above it, else its own full name. */
  readonly product: string;
  /** product_version or product_version_range branch name, if the leaf is one. */
  readonly version?: string;
  readonly cpe?: string;
  readonly purl?: string;
}

/** Every product of the tree, by product_id (branches first, then full_product_names). */
export function flattenProductTree(tree: CsafDocument['product_tree']): Map<string, TreeProduct> {
  const out = new Map<string, TreeProduct>();
  const walk = (b: CsafBranch, ctx: { vendor?: string; product?: string }): void => {
    const here = {
      ...ctx,
      ...(b.category === 'vendor' ? { vendor: b.name } : {}),
      ...(b.category === 'product_name' ? { product: b.name } : {}),
    };
    if (b.product) {
      const isVersion = b.category === 'product_version' || b.category === 'product_version_range';
      out.set(b.product.product_id, toProduct(b.product, here.vendor, here.product, isVersion ? b.name : undefined));
    }
    for (const child of b.branches ?? []) walk(child, here);
  };
  for (const b of tree?.branches ?? []) walk(b, {});
  for (const p of tree?.full_product_names ?? []) if (!out.has(p.product_id)) out.set(p.product_id, toProduct(p, undefined, undefined, undefined));
  return out;
}

function toProduct(p: CsafFullProductName, vendor: string | undefined, product: string | undefined, version: string | undefined): TreeProduct {
  const cpe = p.product_identification_helper?.cpe;
  const purl = p.product_identification_helper?.purl;
  return {
    id: p.product_id,
    fullName: p.name,
    product: product ?? p.name,
    ...(vendor === undefined ? {} : { vendor }),
    ...(version === undefined ? {} : { version }),
    ...(cpe === undefined ? {} : { cpe }),
    ...(purl === undefined ? {} : { purl }),
  };
}
