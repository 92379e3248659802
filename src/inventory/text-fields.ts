// Inventory fields written as text (CSV cells, CycloneDX properties) → the typed shape YAML gives.

/** The fields of an inventory item, in the README's order (also the CSV columns). */
export const CSV_COLUMNS = ['name', 'vendor', 'product', 'version', 'purl', 'cpe', 'instances', 'location', 'collection', 'owner', 'exposed', 'testsFirst'] as const;
export type Column = (typeof CSV_COLUMNS)[number];

const BOOLEAN: Record<string, boolean> = { true: true, yes: true, y: true, '1': true, false: false, no: false, n: false, '0': false };

/**
 * Convert (field, text) pairs; an empty text is an absent field. Numbers and booleans are read
 * here, so a problem names the field and the text ("instances: "12.5" is not a whole number").
 */
export function textFields(entries: readonly (readonly [Column, string])[]): { candidate: Record<string, unknown> } | { problem: string } {
  const candidate: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [field, value] of entries) {
    if (value === '') continue;
    if (field === 'instances') {
      if (/^\d+$/.test(value)) candidate[field] = Number(value);
      else problems.push(`instances: "${value}" is not a whole number`);
    } else if (field === 'exposed' || field === 'testsFirst') {
      const flag = BOOLEAN[value.toLowerCase()];
      if (flag === undefined) problems.push(`${field}: "${value}" is not a boolean (true/false, yes/no, 1/0)`);
      else candidate[field] = flag;
    } else {
      candidate[field] = value;
    }
  }
  return problems.length > 0 ? { problem: problems.join('; ') } : { candidate };
}
