import type { ParsedAdvisory, SourceKind } from '../../model/advisory.js';

// What the text parsers know besides the text: where it came from and, for mail, its envelope.

export interface TextMeta {
  readonly source: { readonly kind: SourceKind; readonly id?: string };
  /** Where the text was read (a URL, or "archive#message-id"); becomes the advisory's url unless the text names its own. */
  readonly url?: string;
  /** Mail Subject (or page title), list tags such as "[oss-security]" included or not. */
  readonly subject?: string;
  /** ISO 8601: the mail's Date, used when the text carries no date of its own. */
  readonly date?: string;
  readonly messageId?: string;
}

const CVE = /\bCVE-\d{4}-\d{4,}\b/gi;

/** Every CVE id of a text, upper-case, first occurrence order, no repeats. */
export function cveIds(text: string): string[] {
  return [...new Set((text.match(CVE) ?? []).map((c) => c.toUpperCase()))];
}

/** Collapse runs of white space, for titles and summaries. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** "[oss-security] [SECURITY] [DSA 3775-1] x" → "[DSA 3775-1] x": list and forwarding tags dropped. */
export function cleanSubject(subject: string): string {
  return oneLine(subject.replace(/^(?:\s*(?:\[(?:oss-security|security|[\w.-]+-announce|full-disclosure)\]|fwd?:|fw:))+\s*/gi, ''));
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** "8th April 2024", "15 Mar 2022", "January 29, 2017" → "2024-04-08"; undefined when none. */
export function readDate(text: string): string | undefined {
  const dmy = /\b(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})\b/.exec(text);
  const mdy = /\b([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b/.exec(text);
  const candidates = [dmy ? [dmy[1], dmy[2], dmy[3]] : [], mdy ? [mdy[2], mdy[1], mdy[3]] : []];
  for (const [day, month, year] of candidates) {
    if (!day || !month || !year) continue;
    const m = MONTHS.indexOf(month.slice(0, 3).toLowerCase());
    const d = Number(day);
    if (m < 0 || d < 1 || d > 31) continue;
    return `${year}-${String(m + 1).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  }
  return undefined;
}

/** The common fields of an advisory read from text. */
export function baseAdvisory(meta: TextMeta): Pick<ParsedAdvisory, 'kind' | 'source' | 'exploited' | 'signature' | 'cvss'> {
  return {
    kind: 'advisory',
    source: meta.source.id === undefined ? { kind: meta.source.kind } : { kind: meta.source.kind, id: meta.source.id },
    exploited: {},
    signature: { status: 'not-checked' },
    cvss: [],
  };
}

/** The text's own date (YYYY-MM-DD, as midnight UTC), else the mail's date, else undefined. */
export function publishedOf(textDate: string | undefined, meta: TextMeta): string | undefined {
  if (textDate) return `${textDate}T00:00:00.000Z`;
  return meta.date;
}
