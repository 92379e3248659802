// Inventory as CSV: a header row naming the columns, one item per row (README "Inventory import").
import { parse } from 'csv-parse/sync';
import { ParseError } from '../errors.js';
import { createCollector, type InventoryRead } from './collect.js';
import { CSV_COLUMNS, textFields, type Column } from './text-fields.js';


/** Parse CSV text; a bad header fails the file (ParseError), a bad row is one error naming its line. */
export function readInventoryCsv(text: string, file: string, collection: string): InventoryRead {
  const out = createCollector(file, 'csv', collection);
  // csv-parse reports records and skipped (malformed) records through callbacks, in file order,
  // with the line each one ends on; the start line is one after the previous record's end.
  const events: ({ kind: 'record'; fields: string[]; endLine: number } | { kind: 'skip'; message: string; endLine: number })[] = [];
  try {
    parse(text, {
      bom: true,
      trim: true,
      relax_column_count: true, // a short row is that row's error, not the file's
      skip_records_with_error: true,
      on_record: (fields: string[], ctx: { lines: number }) => {
        events.push({ kind: 'record', fields, endLine: ctx.lines });
        return fields;
      },
      on_skip: (err: { message: string; lines?: number } | undefined) => {
        events.push({ kind: 'skip', message: err?.message ?? 'malformed CSV record', endLine: err?.lines ?? 0 });
      },
    });
  } catch (err) {
    throw new ParseError('inventory-csv', `${file}: not CSV: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }

  let previousEnd = 0;
  let header: Column[] | undefined;
  for (const event of events) {
    const start = previousEnd + 1;
    previousEnd = Math.max(previousEnd, event.endLine);
    const where = event.endLine > start ? `lines ${start}-${event.endLine}` : `line ${start}`;
    if (event.kind === 'skip') {
      out.fail(where, event.message);
      continue;
    }
    if (event.fields.every((f) => f === '')) continue; // blank line
    if (!header) {
      header = readHeader(event.fields, file, where);
      continue;
    }
    const row = readRow(event.fields, header);
    if ('problem' in row) out.fail(where, row.problem);
    else out.add(where, row.candidate);
  }
  if (!header) throw new ParseError('inventory-csv', `${file}: no header row (columns: ${CSV_COLUMNS.join(', ')})`);
  return out.result();
}

/** Column names are matched without regard to case ("testsfirst" is `testsFirst`); unknown ones fail the file. */
function readHeader(fields: readonly string[], file: string, where: string): Column[] {
  const byLower = new Map<string, Column>(CSV_COLUMNS.map((c) => [c.toLowerCase(), c]));
  const columns: Column[] = [];
  for (const field of fields) {
    const column = byLower.get(field.toLowerCase());
    if (!column) throw new ParseError('inventory-csv', `${file}: ${where}: unknown column "${field}" (columns: ${CSV_COLUMNS.join(', ')})`);
    if (columns.includes(column)) throw new ParseError('inventory-csv', `${file}: ${where}: column "${column}" appears twice`);
    columns.push(column);
  }
  if (!columns.includes('name')) throw new ParseError('inventory-csv', `${file}: ${where}: the header has no "name" column`);
  return columns;
}

/** One row → the shape the YAML form has; a row short of (or beyond) the header is its own error. */
function readRow(fields: readonly string[], header: readonly Column[]): { candidate: Record<string, unknown> } | { problem: string } {
  if (fields.length !== header.length) {
    const missing = header.slice(fields.length);
    const detail = missing.length > 0 ? ` (no value for ${missing.join(', ')})` : '';
    return { problem: `${fields.length} field(s), the header has ${header.length}${detail}` };
  }
  return textFields(header.map((column, i) => [column, fields[i] ?? '']));
}
