// Node.js security-release blog posts (nodejs/nodejs.org apps/site/pages/en/blog/vulnerability/*.md):
// front matter + Markdown. One post is edited in place: announce → "(Update …)" postponements →
// "Security releases available" with one "## Title (CVE-…) - (High)" section per fixed issue.
import { ParseError } from '../../errors.js';
import type { AffectedProduct, ParsedAdvisory } from '../../model/advisory.js';
import type { RawDocument } from '../../model/raw-document.js';
import { maxSeverity, type Severity } from '../../model/severity.js';
import { severityFromVendorWord } from '../../normalize/index.js';
import { findDates, firstDate, resolveDate } from './dates.js';
import { firstParagraph, readMarkdown, type MarkdownSection } from './markdown.js';

const FORMAT = 'advance';
const VENDOR = 'Node.js';
const WORDS = /\b(critical|high|medium|moderate|low)\b/gi;
const CVE_RE = /CVE-\d{4}-\d{4,}/gi;
const UPDATE_RE = /^\(?\s*update\s+([^)]*?)\s*\)\s*(.*)$/i;
const AVAILABLE_RE = /security releases?\s+(?:are\s+)?(?:now\s+)?available/i;

/** True when the text looks like a Node.js release post (front matter naming the Node.js project, or its wording). */
export function isNodejsPost(text: string): boolean {
  return /^\uFEFF?---\r?\n[\s\S]*?\bslug:\s*[\w-]*security-release/m.test(text) || /The Node\.js project will release new versions/.test(text);
}

/** What the post said, when: each statement of the release date with the day it was made. */
interface Statement {
  readonly date: string; // planned (or actual) release day
  readonly madeOn: string | undefined; // day of the update that said it
  readonly where: string;
}

/**
 * The post as one advance notice (id `nodejs:<slug>`, stable across edits) whose planned date is
 * the latest statement; once the releases are out, also one advisory per fixed CVE, and the notice
 * is closed by them.
 */
export function parseNodejsPost(doc: RawDocument, text: string): ParsedAdvisory[] {
  let md;
  try {
    md = readMarkdown(text);
  } catch (err) {
    throw new ParseError(FORMAT, `front matter is not YAML: ${(err as Error).message}`, { cause: err });
  }
  const fm = md.frontMatter;
  const slug = str(fm.slug) ?? slugFromUrl(doc.url);
  if (!slug) throw new ParseError(FORMAT, 'no slug in the front matter or the file name');
  const title = str(fm.title) ?? slug;
  const postDate = isoOf(fm.date);
  if (!postDate) throw new ParseError(FORMAT, 'front matter has no valid "date"', { where: 'front matter' });
  const url = /^https?:/.test(doc.url) && !doc.url.endsWith('.md') ? doc.url : `https://nodejs.org/en/blog/${str(fm.category) ?? 'vulnerability'}/${slug}`;

  const updates = md.sections.flatMap((s) => readUpdate(s, postDate));
  const released = md.sections.some((s) => AVAILABLE_RE.test(s.heading));
  const issues = released ? md.sections.flatMap((s) => readIssue(s)) : [];
  const plan = plannedDate(title, md.sections, updates, postDate, released);
  if (!plan) throw new ParseError(FORMAT, `${slug}: no release date in the title, an update or "Release timing"`);

  const lines = releaseLines(md.sections, issues);
  const fixed = fixedVersions(md.sections);
  const noticeId = `nodejs:${slug}`;
  const advisories = issues.map((issue): ParsedAdvisory => {
    const affected = issue.lines.length > 0 ? issue.lines : lines.map((l) => l.line);
    return {
      id: `${noticeId}:${issue.cves[0]!}`,
      kind: 'advisory',
      source: { kind: 'advance', id: doc.sourceId },
      title: `Node.js: ${issue.title}`,
      url,
      summary: issue.summary,
      published: `${plan.date}T00:00:00.000Z`,
      modified: `${plan.date}T00:00:00.000Z`,
      vendorSeverity: issue.word,
      cvss: [],
      cves: issue.cves,
      aliases: [],
      exploited: {},
      products: affected.map((line) => fixedProduct(line, fixed.get(line))),
      remediation: fixedFor(affected, fixed),
      signature: { status: 'not-checked' },
    };
  });

  const worst = lines.reduce<Severity>((acc, l) => maxSeverity(acc, l.severity), 'none');
  const words = lines.map((l) => l.word).filter((w): w is string => w !== undefined);
  const vendorWord = words.sort((a, b) => rank(b) - rank(a))[0];
  const modified = [postDate, ...updates.map((u) => `${u.madeOn ?? postDate}T00:00:00.000Z`)].sort().at(-1)!;
  const notice: ParsedAdvisory = {
    id: noticeId,
    kind: 'advance-notice',
    source: { kind: 'advance', id: doc.sourceId },
    title: `Node.js security releases: ${title}`,
    url,
    summary: noticeSummary(lines.map((l) => l.line), plan, released, md.sections),
    published: postDate,
    modified,
    ...(vendorWord ? { vendorSeverity: vendorWord } : {}),
    cvss: [],
    cves: [],
    aliases: [],
    exploited: {},
    products: noticeProducts(lines),
    remediation: released ? fixedFor(lines.map((l) => l.line), fixed) : {},
    plannedRelease: { date: plan.date, maxSeverity: worst },
    ...(released ? { closedBy: advisories.map((a) => a.id) } : {}),
    signature: { status: 'not-checked' },
  };
  return [notice, ...advisories];
}

/** "(Update 15-Dec-2025) Security Release target December 18th" + "postponed to Thursday, December 18th". */
function readUpdate(s: MarkdownSection, postDate: string): Statement[] {
  const m = UPDATE_RE.exec(s.heading);
  if (!m) return [];
  const madeOn = firstDate(m[1]!, postDate);
  if (AVAILABLE_RE.test(m[2]!)) return madeOn ? [{ date: madeOn, madeOn, where: `update ${m[1]!}` }] : [];
  // The target is the first date in the heading after the update's own date, else in its text.
  const candidates = [...findDates(m[2]!), ...findDates(s.body)];
  for (const d of candidates) {
    const iso = resolveDate(d, madeOn ?? postDate);
    if (iso && iso !== madeOn) return [{ date: iso, madeOn, where: `update ${m[1]!}` }];
  }
  return [];
}

/**
 * The latest statement wins: the newest dated update; else the title (edited on every change, so
 * a title that disagrees with the body is newer than it); else "Release timing" or the summary.
 */
function plannedDate(title: string, sections: readonly MarkdownSection[], updates: readonly Statement[], postDate: string, released: boolean): Statement | undefined {
  const newest = [...updates].sort((a, b) => (a.madeOn ?? '').localeCompare(b.madeOn ?? '')).at(-1);
  if (newest) return newest;
  const fromTitle = firstDate(title, postDate);
  if (fromTitle) return { date: fromTitle, madeOn: undefined, where: 'title' };
  const timing = sections.find((s) => /release timing/i.test(s.heading)) ?? sections.find((s) => /summary/i.test(s.heading));
  const fromBody = timing ? firstDate(timing.body, postDate) : undefined;
  if (fromBody) return { date: fromBody, madeOn: undefined, where: timing!.heading };
  return released ? { date: postDate.slice(0, 10), madeOn: undefined, where: 'post date' } : undefined;
}

interface Issue {
  readonly title: string;
  readonly cves: string[];
  readonly word: string;
  readonly lines: string[];
  readonly summary: string;
}

/** "## Bypass File System Permissions using crafted symlinks (CVE-2025-55130) - (High)". */
function readIssue(s: MarkdownSection): Issue[] {
  const rating = /\(\s*(critical|high|medium|moderate|low)\s*\)\s*$/i.exec(s.heading);
  if (!rating) return [];
  let title = s.heading.slice(0, rating.index).replace(/\s*-?\s*$/, '');
  // The issue's own ids are the parenthesised group before the rating; a title may mention others
  // ("… (incomplete CVE-2026-21636 fix) (CVE-2026-48936) - (low)").
  const own = /\(((?:\s*CVE-\d{4}-\d{4,}\s*(?:,|and)?)+)\)\s*$/i.exec(title);
  const cves = [...new Set(((own ? own[1]! : title).match(CVE_RE) ?? []).map((c) => c.toUpperCase()))];
  if (cves.length === 0) return [];
  if (own) title = title.slice(0, own.index).trim();
  const at = s.body.search(/\bImpact:/);
  const impact = at >= 0 ? s.body.slice(at) : s.body;
  return [{ title, cves, word: rating[1]!, lines: linesIn(impact), summary: firstParagraph(s.body) }];
}

interface Line {
  readonly line: string;
  readonly word: string | undefined;
  readonly severity: Severity;
}

/** Release lines named by the post, each with the worst rating said for it. */
function releaseLines(sections: readonly MarkdownSection[], issues: readonly Issue[]): Line[] {
  const text = sections.map((s) => `${s.heading}\n${s.body}`).join('\n');
  const announced = /(?:new versions of|available for) the ([\s\S]{0,80}?)\s+(?:Node\.js\s+)?releases?\s+lines/i.exec(text);
  const names = announced ? linesIn(announced[1]!) : linesIn(text);
  const perLine = new Map<string, string>();
  const note = (line: string, word: string) => {
    const cur = perLine.get(line);
    if (cur === undefined || rank(word) > rank(cur)) perLine.set(line, word);
  };
  if (issues.length > 0) {
    for (const issue of issues) for (const line of issue.lines.length > 0 ? issue.lines : names) note(line, issue.word);
  } else {
    // "The 24.x release line of Node.js is vulnerable to 3 high severity issues, …" /
    // "The highest severity issue fixed in the 26.x release line is HIGH."
    for (const m of text.matchAll(/The (?:highest severity issue fixed in the )?(\d+)\.x release line[^\n]*/gi)) {
      for (const w of m[0].matchAll(WORDS)) note(`${m[1]!}.x`, w[1]!);
    }
    if (perLine.size === 0) {
      const summaryWords = [...text.matchAll(/(critical|high|medium|moderate|low) severity/gi)].map((w) => w[1]!);
      for (const line of names) for (const w of summaryWords) note(line, w);
    }
  }
  const all = [...new Set([...names, ...perLine.keys()])].sort((a, b) => parseInt(b) - parseInt(a));
  return all.map((line) => {
    const word = perLine.get(line);
    return { line, word, severity: severityFromVendorWord(word) ?? 'none' };
  });
}

/** "20.x, 22.x, 24.x, and 25.x", "v25.x", "**Node.js 22**" → ["20.x", "22.x", …]. */
function linesIn(text: string): string[] {
  const found = new Set<string>();
  for (const m of text.matchAll(/\bv?(\d{1,2})\.x\b/g)) found.add(`${m[1]!}.x`);
  for (const m of text.matchAll(/\bNode\.js\s+v?(\d{1,2})(?:\.\d+)*\b/g)) found.add(`${m[1]!}.x`);
  return [...found];
}

/** "- [Node.js 20.20.0](/blog/release/v20.20.0/)" under "Downloads and release details": line → fixed version. */
function fixedVersions(sections: readonly MarkdownSection[]): Map<string, string> {
  const out = new Map<string, string>();
  const downloads = sections.find((s) => /downloads/i.test(s.heading));
  for (const m of (downloads?.body ?? '').matchAll(/Node\.js\s+v?((\d+)\.\d+\.\d+)/g)) out.set(`${m[2]!}.x`, m[1]!);
  return out;
}

function fixedFor(lines: readonly string[], fixed: ReadonlyMap<string, string>): { fixedVersions?: string[] } {
  const versions = lines.map((l) => fixed.get(l)).filter((v): v is string => v !== undefined);
  return versions.length > 0 ? { fixedVersions: versions } : {};
}

/** "22.x" → ">=22.0.0, <23.0.0": the whole release line, in a form the matchers compare. */
function lineRange(line: string): string {
  const major = parseInt(line, 10);
  return `>=${major}.0.0, <${major + 1}.0.0`;
}

/** One product per line for an advisory: affected from the line's start up to its fixed version. */
function fixedProduct(line: string, fixed: string | undefined): AffectedProduct {
  const range = fixed ? `>=${parseInt(line, 10)}.0.0, <${fixed}` : lineRange(line);
  return { vendor: VENDOR, product: 'Node.js', ranges: [range], ...(fixed ? { fixed: [fixed] } : {}) };
}

/**
 * A notice's products: "Node.js" over every announced line (what the inventory matchers compare),
 * then one "Node.js 22.x" per line with the publisher's rating for it — named per line so that a
 * line added to the scope is a new product, hence a new revision.
 */
function noticeProducts(lines: readonly Line[]): AffectedProduct[] {
  if (lines.length === 0) return [];
  return [
    { vendor: VENDOR, product: 'Node.js', ranges: lines.map((l) => lineRange(l.line)) },
    ...lines.map((l) => ({ vendor: VENDOR, product: `Node.js ${l.line}`, ranges: [lineRange(l.line)], ...(l.word ? { severity: l.word } : {}) })),
  ];
}

function noticeSummary(lines: readonly string[], plan: Statement, released: boolean, sections: readonly MarkdownSection[]): string {
  const list = lines.join(', ');
  if (released) return `Security releases of Node.js ${list} published on ${plan.date}.`;
  const said = plan.madeOn ? ` (update of ${plan.madeOn})` : '';
  const update = sections.find((s) => UPDATE_RE.test(s.heading));
  const why = update ? ` ${firstParagraph(update.body)}` : '';
  return `Node.js ${list} security releases planned on or shortly after ${plan.date}${said}.${why}`;
}

function rank(word: string): number {
  const s = severityFromVendorWord(word);
  return s === undefined ? -1 : ['none', 'low', 'moderate', 'important', 'critical'].indexOf(s);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

function isoOf(v: unknown): string | undefined {
  const d = v instanceof Date ? v : typeof v === 'string' ? new Date(v) : undefined;
  return d && !Number.isNaN(d.getTime()) ? d.toISOString() : undefined;
}

function slugFromUrl(url: string): string | undefined {
  const base = url.split(/[?#]/)[0]!.split('/').pop() ?? '';
  return /security-releases/.test(base) ? base.replace(/\.md$/, '').replace(/\.\d+-.*$/, '') : undefined;
}
