/**
 * Deepest JSON nesting a parser accepts. JSON.parse itself copes with any depth, but the schemas
 * that follow recurse (CSAF branches are a tree): 1,000 nested branches overflowed the stack with
 * a RangeError. Real documents nest 20 levels or so.
 */
export const MAX_JSON_DEPTH = 256;

/** The path to the first value nested deeper than `limit`, or undefined. Iterative, so it cannot overflow itself. */
export function tooDeep(value: unknown, limit = MAX_JSON_DEPTH): string | undefined {
  const pending: { value: unknown; depth: number; path: string }[] = [{ value, depth: 0, path: '' }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (typeof next.value !== 'object' || next.value === null) continue;
    if (next.depth >= limit) return next.path || '(root)';
    const entries = Array.isArray(next.value) ? next.value.map((v, i) => [`[${i}]`, v] as const) : Object.entries(next.value).map(([k, v]) => [`.${k}`, v] as const);
    for (const [key, child] of entries) {
      if (typeof child === 'object' && child !== null) pending.push({ value: child, depth: next.depth + 1, path: next.path + key });
    }
  }
  return undefined;
}
