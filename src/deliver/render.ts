// Alert text and HTML from templates/email/*.hbs (Handlebars 4: https://handlebarsjs.com/guide/).
// Pure apart from reading the two templates once; the view model does the thinking, templates only lay out.
import { AppError, describeError } from '../errors.js';
import type { Advisory } from '../model/advisory.js';
import { describeChange, describeChanges } from '../model/changes.js';
import type { SeveritySource } from '../model/severity.js';
import type { Alert } from './channel.js';
import { emailTemplates } from './email-templates.js';

const NO_DEADLINE = 'no deadline: next scheduled maintenance';
const SUBJECT_MAX = 200;
const SUMMARY_MAX = 800;
const SEVERITY_COLOR = { critical: '#b00020', important: '#c2410c', moderate: '#8a6d00', low: '#1d4ed8', none: '#444444' } as const;
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;

/** Everything the templates show, already worded; absent values are null so strict templates catch typos. */
export interface AlertView {
  readonly subject: string;
  readonly severityLabel: string;
  readonly severityColor: string;
  readonly severityWhy: string;
  readonly changeText: string;
  /** A reminder's sentence ("Reminder: apply by 2026-12-01 — 3 days left"); null for an alert. */
  readonly reminderText: string | null;
  /** Advance notices: "expect a HIGH fix for Node.js 22.x on 2026-07-27" lines; empty otherwise. */
  readonly planningLines: readonly string[];
  /** For a revision, each material change in words ("severity raised from moderate to critical"). */
  readonly changes: readonly string[];
  readonly title: string;
  readonly advisoryId: string;
  readonly url: string | null;
  readonly published: string;
  readonly summary: string | null;
  readonly cvesText: string;
  readonly exploitedLines: readonly string[];
  readonly applyByText: string;
  readonly applyByRule: string;
  readonly matchCount: number;
  readonly matches: readonly MatchView[];
  readonly remediation: {
    readonly action: string | null;
    readonly kbs: string | null;
    readonly fixedVersions: string | null;
    readonly url: string | null;
    readonly none: boolean;
  };
}

interface MatchView {
  readonly name: string;
  readonly collection: string;
  readonly location: string | null;
  readonly instances: number;
  readonly version: string | null;
  readonly owner: string | null;
  /** The item is internet-facing (inventory `exposed`), which the bod-26-04 rule weighs. */
  readonly exposed: boolean;
  readonly confidence: string;
  readonly reason: string;
  readonly applyByText: string;
  readonly applyByRule: string;
  /** Signed acknowledgement links (alert.ackLinks) for this item; null when the alert carries none. */
  readonly ackApplied: string | null;
  readonly ackNotApplicable: string | null;
}

/** `[CRITICAL] Exchange: <title> — apply by 2025-09-15`: one line, at most ~200 chars, the date always kept. */
export function alertSubject(alert: Alert, now?: Date): string {
  const a = alert.advisory;
  const product = alert.matches[0]?.item.name;
  const prefix = `${alert.reminder ? 'Reminder: ' : ''}[${a.severity.toUpperCase()}] ${product ? `${clip(oneLine(product), 60)}: ` : ''}`;
  if (alert.reminder) return reminderSubject(alert, prefix);
  const overdue = alert.applyBy && now && daysOverdue(alert.applyBy, now) > 0 ? ' (OVERDUE)' : '';
  const changed = alert.changes?.length ? ` — ${clip(describeChanges(alert.changes), 90)}` : '';
  // An open advance notice has nothing to apply yet: its subject says when the release is due.
  const planned = a.kind === 'advance-notice' && a.plannedRelease && !a.closedBy ? `release expected ${oneLine(a.plannedRelease.date)}` : undefined;
  const suffix = `${changed} — ${alert.applyBy ? `apply by ${oneLine(alert.applyBy)}${overdue}` : (planned ?? 'no deadline')}`;
  return `${prefix}${clip(oneLine(a.title) || a.id, SUBJECT_MAX - prefix.length - suffix.length)}${suffix}`;
}

/** "Reminder: [HIGH] item: <title> — apply by 2026-12-01, 3 days left" (or due today / OVERDUE / expected today). */
function reminderSubject(alert: Alert, prefix: string): string {
  const r = alert.reminder!;
  const suffix =
    r.kind === 'planned-day'
      ? ` — ${oneLine(r.text.replace(/^Reminder: /, ''))}`
      : r.kind === 'overdue'
        ? ` — OVERDUE: apply-by date ${r.date} passed`
        : ` — apply by ${r.date}, ${r.daysLeft === 0 ? 'due today' : `${r.daysLeft} day${r.daysLeft === 1 ? '' : 's'} left`}`;
  return `${prefix}${clip(oneLine(alert.advisory.title) || alert.advisory.id, Math.max(20, SUBJECT_MAX - prefix.length - suffix.length))}${suffix}`;
}

/** Plain-text body: what a person needs at 2 a.m., readable in any mail client or pager. */
export function renderAlertText(alert: Alert, now?: Date): string {
  return run(templates().text, alert, 'alert.txt.hbs', now);
}

/** HTML body: auto-escaped, inline styles, no images; says the same as the text part. */
export function renderAlertHtml(alert: Alert, now?: Date): string {
  return run(templates().html, alert, 'alert.html.hbs', now);
}

/** The view model both templates render; exported for tests and for other channels' templates. */
export function alertView(alert: Alert, now?: Date): AlertView {
  const a = alert.advisory;
  const r = a.remediation;
  const remediation = {
    action: r.action ?? null,
    kbs: r.kbs?.length ? r.kbs.join(', ') : null,
    fixedVersions: r.fixedVersions?.length ? r.fixedVersions.join(', ') : null,
    url: safeUrl(r.url),
  };
  return {
    subject: alertSubject(alert),
    severityLabel: a.severity.toUpperCase(),
    severityColor: SEVERITY_COLOR[a.severity],
    severityWhy: severityWhy(a),
    changeText: changeText(alert),
    reminderText: alert.reminder?.text ?? null,
    planningLines: [...(alert.planning ?? [])],
    changes: (alert.changes ?? []).map(describeChange),
    title: a.title,
    advisoryId: a.id,
    url: safeUrl(a.url),
    published: a.published,
    summary: a.summary ? clip(a.summary.trim(), SUMMARY_MAX) : null,
    cvesText: a.cves.length ? a.cves.join(', ') : 'none listed',
    exploitedLines: exploitedLines(a),
    applyByText: applyByText(alert.applyBy, now),
    applyByRule: alert.applyByRule,
    matchCount: alert.matches.length,
    matches: alert.matches.map((m) => ({
      name: m.item.name,
      collection: m.item.collection,
      location: m.item.location ?? null,
      instances: m.item.instances,
      version: m.item.version ?? null,
      owner: m.item.owner ?? null,
      exposed: m.item.exposed === true,
      confidence: m.confidence,
      reason: m.reason,
      applyByText: applyByText(m.applyBy, now),
      applyByRule: m.applyByRule,
      ...ackLinksOf(alert, m.item.collection, m.item.name),
    })),
    remediation: { ...remediation, none: Object.values(remediation).every((v) => v === null) },
  };
}

function ackLinksOf(alert: Alert, collection: string, name: string): { ackApplied: string | null; ackNotApplicable: string | null } {
  const links = alert.ackLinks?.find((l) => l.itemCollection === collection && l.itemName === name);
  return { ackApplied: links?.applied ?? null, ackNotApplicable: links?.notApplicable ?? null };
}

/** "New advisory", or for a revision what changed (the generic words only when the alert carries no diff). */
function changeText(alert: Alert): string {
  if (alert.reminder) return alert.reminder.text;
  const what = alert.advisory.kind === 'advance-notice' ? 'advance notice of a security release' : 'advisory';
  if (alert.change === 'new') return `New ${what}`;
  const head = `Revised ${what} (revision ${alert.advisory.revision})`;
  return alert.changes?.length
    ? `${head}: ${describeChanges(alert.changes)}`
    : `${head}: the rating, exploitation, affected products or fix changed since the last alert`;
}

function severityWhy(a: Advisory): string {
  const source: SeveritySource = a.severitySource;
  switch (source) {
    case 'vendor':
      return 'the vendor’s own rating';
    case 'cvss': {
      const top = [...a.cvss].sort((x, y) => y.score - x.score)[0];
      return top ? `from the CVSS v${top.version} base score ${top.score.toFixed(1)}` : 'from the CVSS score';
    }
    case 'kev':
      return 'raised because it is known to be exploited (CISA KEV)';
    case 'policy':
      return 'set by our policy (no usable vendor rating or CVSS score)';
    default: {
      const never: never = source;
      return String(never);
    }
  }
}

function exploitedLines(a: Advisory): string[] {
  const e = a.exploited;
  const lines: string[] = [];
  if (e.kev) {
    lines.push(`Listed in CISA KEV since ${e.kev.dateAdded}; CISA due date ${e.kev.dueDate}`);
    if (e.kev.ransomware) lines.push('Known to be used in ransomware campaigns');
  }
  if (e.exploited && !e.kev) lines.push('The publisher reports exploitation in the wild');
  if (e.publiclyDisclosed) lines.push('Publicly disclosed before a fix was available');
  return lines;
}

/** "2025-09-15 (Monday)", and when the alert goes out after that day: "— OVERDUE by 3 days". */
function applyByText(date: string | null, now?: Date): string {
  if (!date) return NO_DEADLINE;
  const day = /^\d{4}-\d{2}-\d{2}$/.test(date) ? WEEKDAYS[new Date(`${date}T00:00:00Z`).getUTCDay()] : undefined;
  const late = now ? daysOverdue(date, now) : 0;
  const overdue = late > 0 ? ` — OVERDUE by ${late} day${late === 1 ? '' : 's'}` : '';
  return `${day ? `${date} (${day})` : date}${overdue}`;
}

/** Whole days past the end (UTC) of an apply-by date; 0 while the day has not ended. */
export function daysOverdue(date: string, now: Date): number {
  const end = Date.parse(`${date.slice(0, 10)}T00:00:00Z`) + 86_400_000;
  return Number.isNaN(end) || now.getTime() < end ? 0 : Math.floor((now.getTime() - end) / 86_400_000) + 1;
}

/** Only http(s) links are shown as links; anything else (javascript:, data:) is dropped. */
function safeUrl(url: string | undefined): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}

function oneLine(s: string): string {
  // eslint-disable-next-line no-control-regex -- stripping control characters is the point
  return s.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').replace(/\s+/g, ' ').trim();
}

function clip(s: string, max: number): string {
  const chars = [...s];
  return chars.length <= max ? s : `${chars.slice(0, Math.max(1, max - 1)).join('').trimEnd()}…`;
}

type Template = (view: AlertView) => string;
const templates = emailTemplates<AlertView>('alert');

function run(template: Template, alert: Alert, name: string, now: Date | undefined): string {
  const view = alertView(alert, now);
  try {
    return template(view);
  } catch (err) {
    throw new AppError('TEMPLATE_FAILED', `template ${name} failed for ${alert.id}: ${describeError(err)}`, { cause: err });
  }
}
