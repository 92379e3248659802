/** An application/x-www-form-urlencoded body (the server keeps form bodies as text) as a map; first value wins. */
export function parseForm(body: unknown): Map<string, string> {
  const out = new Map<string, string>();
  if (typeof body !== 'string') return out;
  for (const [k, v] of new URLSearchParams(body)) if (!out.has(k)) out.set(k, v);
  return out;
}
