// MSRC Security Updates API, GET /cvrf/v3.0/updates: https://api.msrc.microsoft.com/cvrf/v3.0/swagger/v3/swagger.json
import { z } from 'zod';
import { ParseError } from '../../errors.js';

const entrySchema = z.object({
  ID: z.string().min(1),
  CurrentReleaseDate: z.string().min(1),
  InitialReleaseDate: z.string().nullish(),
  CvrfUrl: z.string().min(1),
  DocumentTitle: z.string().nullish(),
});
const indexSchema = z.object({ value: z.array(entrySchema) });

/** One monthly document as the index lists it; `month` is "YYYY-MM" (from the ID, else the initial release). */
export interface UpdateEntry {
  readonly id: string;
  readonly month: string;
  readonly currentReleaseDate: string;
  readonly cvrfUrl: string;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** Read the updates index; a body that is not the documented shape is a ParseError naming the index. */
export function readUpdatesIndex(body: Uint8Array, url: string): UpdateEntry[] {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8').decode(body));
  } catch (err) {
    throw new ParseError('cvrf', `MSRC updates index ${url}: invalid JSON: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  const result = indexSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new ParseError('cvrf', `MSRC updates index ${url}: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'unexpected shape'}`, {
      cause: result.error,
    });
  }
  return result.data.value.flatMap((e) => {
    const month = monthOf(e.ID) ?? /^(\d{4}-\d{2})/.exec(e.InitialReleaseDate ?? '')?.[1];
    if (month === undefined) return [];
    if (!URL.canParse(e.CvrfUrl, url)) throw new ParseError('cvrf', `MSRC updates index ${url}: ${e.ID}: CvrfUrl "${e.CvrfUrl}" is not a URL`);
    return [{ id: e.ID, month, currentReleaseDate: e.CurrentReleaseDate, cvrfUrl: new URL(e.CvrfUrl, url).href }];
  });
}

/** "2025-Jan" → "2025-01"; undefined for ids that are not a month. */
export function monthOf(id: string): string | undefined {
  const m = /^(\d{4})-([A-Za-z]{3})$/.exec(id);
  const index = m ? MONTHS.indexOf(m[2]!.toLowerCase()) : -1;
  return m && index >= 0 ? `${m[1]}-${String(index + 1).padStart(2, '0')}` : undefined;
}

/** The month `count` months before `now` ("YYYY-MM", UTC): the default `since`. */
export function monthsBefore(now: Date, count: number): string {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - count, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}
