import { splitQualifiers } from './qualifiers.js';

/** "Microsoft Corp." / "microsoft_corp" → "microsoft corp": case and punctuation never decide a match. */
export function normalizeName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** Operator aliases (canonical → other names), normalised into one lookup: any name → canonical. */
export type AliasTable = ReadonlyMap<string, string>;

export function buildAliasTable(aliases: Readonly<Record<string, readonly string[]>>): AliasTable {
  const table = new Map<string, string>();
  for (const [canonical, others] of Object.entries(aliases)) {
    const c = normalizeName(canonical);
    for (const other of others) table.set(normalizeName(other), c);
  }
  return table;
}

/** The canonical normalised form of a vendor or product name. */
export function canonicalName(name: string, aliases: AliasTable): string {
  const n = normalizeName(name);
  return aliases.get(n) ?? n;
}

/** "windows server 2019" → ["windows", "windows server", "windows server 2019"]. */
export function tokenPrefixes(normalized: string): string[] {
  const tokens = normalized.split(' ').filter(Boolean);
  return tokens.map((_, i) => tokens.slice(0, i + 1).join(' '));
}

/**
 * The canonical product a name is compared by: qualifiers split off ("(Server Core installation)",
 * "for x64-based Systems"), aliases applied, and a leading vendor name dropped ("Microsoft Office
 * 2019" by Microsoft → "office 2019"), so advisory and inventory meet however each spells it.
 */
export function productKey(product: string, vendor: string | undefined, aliases: AliasTable): { key: string; qualifiers: readonly string[] } {
  const { base, qualifiers } = splitQualifiers(product);
  let key = canonicalName(base, aliases);
  if (vendor && key.startsWith(`${vendor} `)) key = canonicalName(key.slice(vendor.length + 1), aliases);
  return { key, qualifiers };
}
