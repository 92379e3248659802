// English calendar dates as release announcements write them: "Monday, December 15, 2025",
// "December 18th", "January 7th, 2026", "Tuesday 1st November 2022", "15-Dec-2025", "2026-06-18";
// and the two localisations of Microsoft's bulletin pages in the corpus: "8. Januar 2013" (de-de),
// "2012 年 2 月 15 日" (ja-jp).

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] as const;
const MONTH = String.raw`(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)`;
const ORD = String.raw`(?:st|nd|rd|th)?`;
/** German month names; the ones spelt as in English ("April", "August"…) are matched by MONTH too. */
const GERMAN_MONTHS: Readonly<Record<string, number>> = { januar: 1, februar: 2, märz: 3, april: 4, mai: 5, juni: 6, juli: 7, august: 8, september: 9, oktober: 10, november: 11, dezember: 12 };
const GERMAN_MONTH = `(${Object.keys(GERMAN_MONTHS).join('|')})`;

/** Patterns in the order they are tried at each position; each names where year, month and day are. */
const PATTERNS: readonly { re: RegExp; y: number; m: number; d: number }[] = [
  { re: /\b(\d{4})-(\d{2})-(\d{2})\b/y, y: 1, m: 2, d: 3 },
  { re: new RegExp(String.raw`\b(\d{1,2})-${MONTH}-(\d{4})\b`, 'iy'), y: 3, m: 2, d: 1 },
  { re: new RegExp(String.raw`\b${MONTH}\.?\s+(\d{1,2})${ORD}\b(?:,?\s+(\d{4})\b)?`, 'iy'), y: 3, m: 1, d: 2 },
  { re: new RegExp(String.raw`\b(\d{1,2})${ORD}\s+(?:of\s+)?${MONTH}\b(?:,?\s+(\d{4})\b)?`, 'iy'), y: 3, m: 2, d: 1 },
  { re: new RegExp(String.raw`\b(\d{1,2})\.\s*${GERMAN_MONTH}\s+(\d{4})\b`, 'iuy'), y: 3, m: 2, d: 1 },
  { re: /(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日/y, y: 1, m: 2, d: 3 },
];

/** A date found in text: `year` is undefined when the text left it out ("December 18th"). */
export interface TextDate {
  readonly year: number | undefined;
  readonly month: number; // 1-12
  readonly day: number;
  readonly index: number;
}

/** Every calendar date written in `text`, in order of appearance. */
export function findDates(text: string): TextDate[] {
  const found: TextDate[] = [];
  for (let i = 0; i < text.length; i++) {
    if (i > 0 && /\w/.test(text[i - 1]!) && /\w/.test(text[i]!)) continue; // only at word starts
    for (const p of PATTERNS) {
      p.re.lastIndex = i;
      const m = p.re.exec(text);
      if (!m) continue;
      const month = monthNumber(m[p.m]!);
      const day = Number(m[p.d]);
      const year = m[p.y] === undefined ? undefined : Number(m[p.y]);
      if (month === undefined || day < 1 || day > 31) continue;
      found.push({ year, month, day, index: i });
      i += m[0].length - 1;
      break;
    }
  }
  return found;
}

/**
 * The date as YYYY-MM-DD; a date written without a year is the first such day not long before
 * `reference` (an update of 15-Dec-2025 that says "December 18th" means 2025-12-18, one that says
 * "January 7th" means 2026-01-07).
 */
export function resolveDate(d: TextDate, reference: string | undefined): string | undefined {
  let year = d.year;
  if (year === undefined) {
    if (!reference) return undefined;
    const ref = new Date(`${reference.slice(0, 10)}T00:00:00Z`);
    if (Number.isNaN(ref.getTime())) return undefined;
    year = ref.getUTCFullYear();
    // A month well before the reference month belongs to the next year.
    if (Date.UTC(year, d.month - 1, d.day) < ref.getTime() - 60 * 86_400_000) year++;
  }
  const t = new Date(Date.UTC(year, d.month - 1, d.day));
  if (t.getUTCMonth() !== d.month - 1) return undefined; // 31 February and the like
  return t.toISOString().slice(0, 10);
}

/** The first date in `text` that resolves, as YYYY-MM-DD. */
export function firstDate(text: string, reference?: string): string | undefined {
  for (const d of findDates(text)) {
    const iso = resolveDate(d, reference);
    if (iso) return iso;
  }
  return undefined;
}

/** A month as written: a number ("02"), an English name or abbreviation, or a German name. */
export function monthNumber(word: string): number | undefined {
  if (/^\d{1,2}$/.test(word)) {
    const n = Number(word);
    return n >= 1 && n <= 12 ? n : undefined;
  }
  const german = GERMAN_MONTHS[word.toLowerCase()];
  if (german !== undefined) return german;
  const i = MONTHS.indexOf(word.slice(0, 3).toLowerCase() as (typeof MONTHS)[number]);
  return i < 0 ? undefined : i + 1;
}
