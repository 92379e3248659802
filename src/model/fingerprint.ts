import { canonicalJson, sha256Hex } from '../util/hash.js';
import type { Advisory } from './advisory.js';

/**
 * The parts of an advisory whose change must re-alert people (DESIGN.md "quiet revisions"):
 * rating, exploitation, what is affected, how to fix it, the planned date. Wording, links and
 * timestamps are not material.
 */
export function materialHash(a: Advisory): string {
  return sha256Hex(
    canonicalJson({
      severity: a.severity,
      cves: [...a.cves].sort(),
      exploited: a.exploited,
      products: a.products,
      remediation: { ...a.remediation, url: undefined, action: undefined },
      plannedRelease: a.plannedRelease ?? null,
      kind: a.kind,
    }),
  );
}

/** Everything but the revision number: any change at all (wording included) is stored. */
export function contentHash(a: Advisory): string {
  return sha256Hex(canonicalJson({ ...a, revision: undefined }));
}
