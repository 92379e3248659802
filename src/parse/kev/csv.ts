// CISA publishes the KEV catalog as CSV too (known_exploited_vulnerabilities.csv), same columns
// as the JSON entries: https://www.cisa.gov/known-exploited-vulnerabilities-catalog
import { parse as parseCsv } from 'csv-parse/sync';
import { ParseError } from '../../errors.js';

const REQUIRED = ['cveID', 'vendorProject', 'product', 'vulnerabilityName', 'dateAdded', 'shortDescription', 'requiredAction', 'dueDate'];

/** True when the text looks like the CSV rendition (its header row starts with cveID). */
export function isKevCsv(text: string): boolean {
  return /^\uFEFF?\s*"?cveID"?\s*,/.test(text);
}

/**
 * The CSV rows in the JSON catalog's shape ({ vulnerabilities: [...] }), so one schema validates
 * both. `cwes` is a comma-separated list inside one cell; empty optional cells are dropped.
 */
export function kevCsvToCatalog(text: string): unknown {
  let rows: Record<string, string>[];
  try {
    rows = parseCsv(text, { columns: true, bom: true, skip_empty_lines: true, relax_column_count: false });
  } catch (err) {
    const e = err as { message?: string; lines?: number };
    const where = e.lines === undefined ? undefined : `line ${e.lines}`;
    throw new ParseError('kev', `invalid KEV CSV${where ? ` at ${where}` : ''}: ${e.message ?? String(err)}`, {
      cause: err,
      ...(where ? { where } : {}),
    });
  }
  const header = Object.keys(rows[0] ?? {});
  const missing = rows.length > 0 ? REQUIRED.filter((c) => !header.includes(c)) : [];
  if (missing.length > 0) throw new ParseError('kev', `not a KEV CSV: missing column(s) ${missing.join(', ')}`);
  const vulnerabilities = rows.map((row) => {
    const entry: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(row)) {
      if (value === '' && !REQUIRED.includes(key)) continue;
      entry[key] = key === 'cwes' ? value.split(',').map((c) => c.trim()).filter(Boolean) : value;
    }
    return entry;
  });
  return { catalogVersion: 'csv', dateReleased: '', count: vulnerabilities.length, vulnerabilities };
}
