import type { Advisory, AffectedProduct } from '../model/advisory.js';

/**
 * What a planning alert says for an open advance notice, one line per affected release line:
 * "expect a HIGH fix for Node.js 22.x on 2026-07-27". The rating is the publisher's word for that
 * line when it gave one, else the notice's highest on our scale. Empty for anything else.
 */
export function planningLines(a: Advisory): string[] {
  const plan = a.plannedRelease;
  if (a.kind !== 'advance-notice' || !plan || a.closedBy) return [];
  const date = plan.date.slice(0, 10);
  // An umbrella entry ("Node.js" over every line) is said through its per-line entries ("Node.js 22.x").
  const perLine = a.products.filter((p) => !a.products.some((q) => q !== p && q.product.startsWith(`${p.product} `)));
  const products: readonly Pick<AffectedProduct, 'product' | 'severity' | 'ranges'>[] = perLine.length > 0 ? perLine : [{ product: a.title }];
  const lines = products.map((p) => {
    const word = (p.severity ?? plan.maxSeverity).toUpperCase();
    // A per-line entry's name already says the line ("OpenSSL 3.0"); others say it through their ranges.
    const named = a.products.some((q) => q !== p && p.product.startsWith(`${q.product} `));
    const labels = named ? [] : (p.ranges ?? []).map(lineLabel).filter((l) => !p.product.endsWith(l));
    return `expect ${/^[AEIOU]/.test(word) ? 'an' : 'a'} ${word} fix for ${[p.product, ...labels].join(' ')} on ${date}`;
  });
  return [...new Set(lines)];
}

/** ">=22.0.0, <23.0.0" → "22.x", ">=3.1.0, <3.2.0" → "3.1"; any other range as written. */
function lineLabel(range: string): string {
  const m = /^>=(\d+)\.(\d+)\.0,\s*<(\d+)\.(\d+)\.0$/.exec(range.trim());
  if (!m) return range;
  const [a, b, c, d] = m.slice(1).map(Number) as [number, number, number, number];
  if (b === 0 && c === a + 1 && d === 0) return `${a}.x`;
  if (c === a && d === b + 1) return `${a}.${b}`;
  return range;
}
