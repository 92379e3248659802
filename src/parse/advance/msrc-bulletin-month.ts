// Microsoft's monthly bulletin pages of the MSxx-yyy era (2003–2016), as the MicrosoftDocs
// security-updates(.xx-xx) repositories keep them: front matter + Markdown + an HTML summary table.
// A few days before the release Microsoft published a "Bulletin Advance Notification" at the
// month's address (placeholder ids "Bulletin 1", "セキュリティ情報 1" …); on the release day the
// "Bulletin Summary" replaced it there (real ids "MS12-008" …). Both read the same way, in any of
// the localisations whose words are below; the placeholder ids tell which of the two a page is.
import { load, type CheerioAPI } from 'cheerio';
import { parse as parseYaml } from 'yaml';
import { ParseError } from '../../errors.js';
import type { AffectedProduct, ParsedAdvisory } from '../../model/advisory.js';
import type { RawDocument } from '../../model/raw-document.js';
import { maxSeverity, type Severity } from '../../model/severity.js';
import { textOf } from '../html/extract.js';
import { findDates, firstDate, monthNumber, resolveDate } from './dates.js';

const FORMAT = 'advance';
const BULLETIN_ID = /\bMS\d{2}-\d{3}\b/g;
const CVE_ID = /\bCVE-\d{4}-\d{4,}\b/g;

/**
 * The MSRC rating words (Critical, Important, Moderate, Low) as the localised pages write them.
 * The English word is what the notice carries as vendorSeverity: it is the rating the page translates.
 */
const RATINGS: Readonly<Record<string, { word: string; severity: Severity }>> = {
  critical: { word: 'Critical', severity: 'critical' },
  kritisch: { word: 'Critical', severity: 'critical' },
  緊急: { word: 'Critical', severity: 'critical' },
  important: { word: 'Important', severity: 'important' },
  hoch: { word: 'Important', severity: 'important' },
  重要: { word: 'Important', severity: 'important' },
  moderate: { word: 'Moderate', severity: 'moderate' },
  mittel: { word: 'Moderate', severity: 'moderate' },
  警告: { word: 'Moderate', severity: 'moderate' },
  low: { word: 'Low', severity: 'low' },
  niedrig: { word: 'Low', severity: 'low' },
  注意: { word: 'Low', severity: 'low' },
};

const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const ASSET_MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
/** "Published:" / "Veröffentlicht:" / "公開日:" line, with "Updated:" / "Aktualisiert:" / "最終更新日:" after a "|". */
const PUBLISHED_LINE = /^(?:Published|Veröffentlicht|公開日)\s*[:：]\s*(.+)$/im;
const UPDATED_PART = /^(?:Updated|Aktualisiert|最終更新日)\s*[:：]/i;

/** True for a monthly bulletin page (summary or advance notification): asset id "ms12-feb" in the front matter. */
export function isMsrcBulletinMonth(text: string): boolean {
  // Only the front matter at the very start is looked at (a linear scan, whatever the rest holds).
  const head = text.slice(0, 4096).replace(/^\uFEFF/, '');
  if (!head.startsWith('---')) return false;
  const end = head.indexOf('\n---', 3);
  return /^ms:assetid:[ \t]*'?ms\d{2}-[a-z]{3}'?[ \t]*\r?$/im.test(end < 0 ? head : head.slice(0, end));
}

interface Row {
  readonly id: string;
  readonly rating: { word: string; severity: Severity } | undefined;
  readonly software: string[];
}

/**
 * One advance notice per release month, id `msrc:advance:YYYY-MM`: the advance notification opens
 * it (planned day, highest rating, affected software); the summary published on the release day is
 * the same notice closed, linked to what was released — `msrc:<CVE>` (the ids the cvrf and html
 * sources give) for each CVE the summary lists under a bulletin, else `msrc:<MSyy-xxx>`.
 */
export function parseMsrcBulletinMonth(doc: RawDocument, text: string): ParsedAdvisory[] {
  const { frontMatter, body } = splitFrontMatter(text);
  const title = str(frontMatter.Title) ?? str(frontMatter.title) ?? '';
  const month = releaseMonth(title, str(frontMatter['ms:assetid']));
  if (!month) throw new ParseError(FORMAT, `${doc.url}: no release month in the title ("${title}") or the asset id`);
  const $ = load(body);
  const rows = summaryRows($);
  if (rows.length === 0) throw new ParseError(FORMAT, `${doc.url}: no bulletin table (a first table whose rows carry a rating)`, { where: title });

  const dated = publishedAndUpdated(body);
  if (!dated.published) throw new ParseError(FORMAT, `${doc.url}: no "Published" date line`, { where: title });
  const bulletins = rows.map((r) => r.id.match(BULLETIN_ID)?.[0]).filter((id): id is string => id !== undefined);
  const released = bulletins.length > 0;
  if (released && bulletins.length !== rows.length) throw new ParseError(FORMAT, `${doc.url}: a bulletin table mixes real ids and placeholders`, { where: rows.map((r) => r.id).join(', ') });
  const date = released ? dated.published : (plannedDay(body, month) ?? secondTuesday(month));

  const worst = rows.reduce<Severity>((acc, r) => maxSeverity(acc, r.rating?.severity ?? 'none'), 'none');
  const worstWord = rows.map((r) => r.rating).find((r) => r?.severity === worst)?.word;
  const products = affectedSoftware(rows);
  const counts = ratingCounts(rows);
  const monthName = `${MONTH_NAMES[month.month - 1]!} ${month.year}`;
  const closedBy = released ? releasedIds(bulletins, $, body) : undefined;
  const version = /\*\*(?:Version|バージョン):\*\*\s*([\d.]+)/.exec(body)?.[1];
  const url = /^https?:/.test(doc.url) ? doc.url : (str(frontMatter['ms:mtpsurl']) ?? doc.url);
  return [
    {
      id: `msrc:advance:${month.year}-${String(month.month).padStart(2, '0')}`,
      kind: 'advance-notice',
      source: { kind: 'advance', id: doc.sourceId },
      title: `Microsoft security bulletins for ${monthName}`,
      url,
      summary: released
        ? `Released on ${date}: ${bulletins.join(', ')} (${counts}).`
        : `${rows.length} bulletin${rows.length === 1 ? '' : 's'} planned for ${date} (${counts}); affected: ${products.map((p) => p.product).join(', ')}.`,
      published: `${dated.published}T00:00:00.000Z`,
      modified: `${dated.updated ?? dated.published}T00:00:00.000Z`,
      ...(worstWord ? { vendorSeverity: worstWord } : {}),
      cvss: [],
      cves: [],
      aliases: [],
      exploited: {},
      products,
      remediation: {},
      plannedRelease: { date, maxSeverity: worst },
      ...(closedBy ? { closedBy } : {}),
      signature: { status: 'not-checked' },
      ...(version ? { vendorRevision: version } : {}),
    },
  ];
}

/** Front matter between "---" lines; the ja-jp pages close it with "--- Summary", which is kept as is by their converter. */
function splitFrontMatter(text: string): { frontMatter: Record<string, unknown>; body: string } {
  const src = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const m = /^---\n([\s\S]*?)\n---[^\n]*\n/.exec(src);
  if (!m) return { frontMatter: {}, body: src };
  let value: unknown;
  try {
    value = parseYaml(m[1]!, { schema: 'core' });
  } catch (err) {
    throw new ParseError(FORMAT, `front matter is not YAML: ${(err as Error).message}`, { cause: err });
  }
  const frontMatter = value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  return { frontMatter, body: src.slice(m[0].length) };
}

/**
 * The month the page is about: its title ("… - 2012 年 2 月", "… für Januar 2013", "… for February
 * 2012"), else its asset id ("ms12-feb"). The title wins: the ja-jp notice for February 2012 is
 * filed under the asset id ms11-feb.
 */
function releaseMonth(title: string, assetId: string | undefined): { year: number; month: number } | undefined {
  const ja = /(\d{4})\s*年\s*(\d{1,2})\s*月/.exec(title);
  if (ja) return { year: Number(ja[1]), month: Number(ja[2]) };
  for (const m of title.matchAll(/([A-Za-zÄäÖöÜü]{3,})\.?\s+(\d{4})\b/g)) {
    const month = monthNumber(m[1]!);
    if (month !== undefined) return { year: Number(m[2]), month };
  }
  const asset = /^ms(\d{2})-([a-z]{3})$/i.exec(assetId ?? '');
  const i = asset ? ASSET_MONTHS.indexOf(asset[2]!.toLowerCase()) : -1;
  return asset && i >= 0 ? { year: 2000 + Number(asset[1]), month: i + 1 } : undefined;
}

/** The first table whose body rows carry a rating word: the month's bulletins, most severe first. */
function summaryRows($: CheerioAPI): Row[] {
  for (const table of $('table').toArray()) {
    const rows: Row[] = [];
    for (const tr of $(table).find('tbody > tr').toArray()) {
      const cells = $(tr).children('td').toArray().map((td) => textOf(td).trim());
      if (cells.length < 3) continue;
      const rating = cells.slice(1).map(ratingOf).find((r) => r !== undefined);
      const software = cells[cells.length - 1]!.split(/[,、\n]/).map((s) => s.replace(/\s+/g, ' ').trim()).filter((s) => s !== '');
      rows.push({ id: cells[0]!.replace(/\s+/g, ' '), rating, software });
    }
    if (rows.length > 0 && rows.every((r) => r.rating !== undefined)) return rows;
  }
  return [];
}

function ratingOf(cell: string): { word: string; severity: Severity } | undefined {
  const first = /^\S+/u.exec(cell.trim())?.[0]?.toLowerCase();
  return first === undefined ? undefined : RATINGS[first];
}

/** The "Published: … | Updated: …" line, as days. */
function publishedAndUpdated(body: string): { published?: string; updated?: string } {
  const line = PUBLISHED_LINE.exec(body)?.[1];
  if (!line) return {};
  const [first, ...rest] = line.split('|').map((p) => p.trim());
  const updatedPart = rest.find((p) => UPDATED_PART.test(p));
  const published = firstDate(first ?? '');
  const updated = updatedPart ? firstDate(updatedPart) : undefined;
  return { ...(published ? { published } : {}), ...(updated ? { updated } : {}) };
}

/**
 * The day the notification says the bulletins come out: the first date of the release month in
 * its prose before the bulletin table ("… intending to release on February 14, 2012", "2011 年 2 月
 * 15 日に公開を予定"). A date written with another year but the release month is read in the
 * release year — the ja-jp notice for February 2012 says "2011 年 2 月 15 日".
 */
function plannedDay(body: string, month: { year: number; month: number }): string | undefined {
  const start = PUBLISHED_LINE.exec(body);
  const from = start ? start.index + start[0].length : 0;
  const to = body.indexOf('<table', from);
  const prose = body.slice(from, to < 0 ? undefined : to);
  for (const d of findDates(prose)) {
    if (d.month !== month.month) continue;
    const iso = resolveDate({ ...d, year: month.year }, undefined);
    if (iso) return iso;
  }
  return undefined;
}

/** Microsoft's published schedule: the second Tuesday of the month (used when the page names no day). */
function secondTuesday(month: { year: number; month: number }): string {
  const first = new Date(Date.UTC(month.year, month.month - 1, 1)).getUTCDay();
  const day = 1 + ((2 - first + 7) % 7) + 7;
  return new Date(Date.UTC(month.year, month.month - 1, day)).toISOString().slice(0, 10);
}

/** Each affected-software name once, with the worst rating of the bulletins that name it. */
function affectedSoftware(rows: readonly Row[]): AffectedProduct[] {
  const worst = new Map<string, { word: string; severity: Severity }>();
  for (const r of rows) {
    for (const name of r.software) {
      const cur = worst.get(name);
      if (r.rating && (!cur || maxSeverity(cur.severity, r.rating.severity) !== cur.severity)) worst.set(name, r.rating);
    }
  }
  return [...worst].map(([product, rating]) => ({ vendor: 'Microsoft', product, severity: rating.word }));
}

function ratingCounts(rows: readonly Row[]): string {
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.rating?.word ?? 'unrated', (counts.get(r.rating?.word ?? 'unrated') ?? 0) + 1);
  return [...counts].map(([word, n]) => `${n} ${word}`).join(', ');
}

/**
 * What the summary released, bulletin by bulletin: the CVEs a table row (HTML or Markdown) lists
 * next to exactly one of the month's bulletin ids, else the bulletin itself.
 */
function releasedIds(bulletins: readonly string[], $: CheerioAPI, body: string): string[] {
  const month = new Set(bulletins);
  const cves = new Map<string, Set<string>>();
  const note = (rowText: string) => {
    const ids = [...new Set(rowText.match(BULLETIN_ID) ?? [])];
    if (ids.length !== 1 || !month.has(ids[0]!)) return;
    for (const cve of rowText.match(CVE_ID) ?? []) {
      const set = cves.get(ids[0]!) ?? new Set<string>();
      set.add(cve.toUpperCase());
      cves.set(ids[0]!, set);
    }
  };
  for (const tr of $('tr').toArray()) note($(tr).text());
  for (const line of body.split('\n')) if (line.trimStart().startsWith('|')) note(line);
  return [...new Set(bulletins.flatMap((b) => (cves.has(b) ? [...cves.get(b)!].map((c) => `msrc:${c}`) : [`msrc:${b}`])))];
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}
