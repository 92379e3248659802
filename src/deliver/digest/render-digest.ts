// A digest email from templates/email/digest.{txt,html}.hbs: the same per-alert view as a single
// alert (render.ts alertView), shortened to what a scan of many items needs. HTML is escaped by
// Handlebars; the text part is never put into markup.
import { AppError, describeError } from '../../errors.js';
import { emailTemplates } from '../email-templates.js';
import { alertView } from '../render.js';
import { digestRenderTime, digestTitle, type Digest } from './digest.js';
import type { FooterLinks } from '../email/unsubscribe-footer.js';

const NAMES_SHOWN = 8;
const SUBJECT_MAX = 200;

interface DigestEntryView {
  readonly index: number;
  readonly severityLabel: string;
  readonly severityColor: string;
  readonly title: string;
  readonly advisoryId: string;
  readonly url: string | null;
  readonly applyByText: string;
  readonly matchedText: string;
  readonly changes: readonly string[];
  /** Per matched item, its signed acknowledgement links; empty when the digest carries none. */
  readonly acks: readonly DigestAckView[];
}

interface DigestAckView {
  readonly name: string;
  readonly applied: string;
  readonly notApplicable: string;
}

export interface DigestView {
  readonly title: string;
  readonly countText: string;
  readonly entries: readonly DigestEntryView[];
  /** The page where a store subscriber confirms leaving (a GET never unsubscribes); null for config subscriptions. */
  readonly unsubscribeUrl: string | null;
  /** The subscriber's own settings page; null for config subscriptions. */
  readonly settingsUrl: string | null;
}

export function digestView(digest: Digest, links?: FooterLinks): DigestView {
  const now = digestRenderTime(digest);
  const entries = digest.alerts.map((alert, i): DigestEntryView => {
    const v = alertView(alert, now);
    const names = v.matches.map((m) => m.name);
    const more = names.length > NAMES_SHOWN ? ` and ${names.length - NAMES_SHOWN} more` : '';
    return {
      index: i + 1,
      severityLabel: v.severityLabel,
      severityColor: v.severityColor,
      title: v.title,
      advisoryId: v.advisoryId,
      url: v.url,
      applyByText: v.applyByText,
      matchedText: names.length === 0 ? 'No matched items.' : `Our affected items (${names.length}): ${names.slice(0, NAMES_SHOWN).join(', ')}${more}`,
      changes: v.changes,
      // Every matched item, not only the names shown: each is acknowledged on its own.
      acks: v.matches.flatMap((m) => (m.ackApplied && m.ackNotApplicable ? [{ name: m.name, applied: m.ackApplied, notApplicable: m.ackNotApplicable }] : [])),
    };
  });
  return { title: digestTitle(digest), countText: countText(digest), entries, unsubscribeUrl: links?.unsubscribeUrl ?? null, settingsUrl: links?.settingsUrl ?? null };
}

/** "[DIGEST] 12 advisories (2 critical) — secwatch daily digest, …": severity count first, one line. */
export function digestSubject(digest: Digest): string {
  const s = `[DIGEST] ${countText(digest)} — ${digestTitle(digest)}`;
  return s.length <= SUBJECT_MAX ? s : `${s.slice(0, SUBJECT_MAX - 1)}…`;
}

function countText(digest: Digest): string {
  const n = digest.alerts.length;
  const bySeverity = new Map<string, number>();
  for (const a of digest.alerts) bySeverity.set(a.advisory.severity, (bySeverity.get(a.advisory.severity) ?? 0) + 1);
  const parts = ['critical', 'important', 'moderate', 'low', 'none'].filter((s) => bySeverity.has(s)).map((s) => `${bySeverity.get(s)} ${s}`);
  return `${n} advisor${n === 1 ? 'y' : 'ies'} (${parts.join(', ')})`;
}

export function renderDigestText(digest: Digest, links?: FooterLinks): string {
  return run(templates().text, digestView(digest, links), 'digest.txt.hbs', digest.id);
}

export function renderDigestHtml(digest: Digest, links?: FooterLinks): string {
  return run(templates().html, digestView(digest, links), 'digest.html.hbs', digest.id);
}

type Template = (view: DigestView) => string;
const templates = emailTemplates<DigestView>('digest');

function run(template: Template, view: DigestView, name: string, id: string): string {
  try {
    return template(view);
  } catch (err) {
    throw new AppError('TEMPLATE_FAILED', `template ${name} failed for digest ${id}: ${describeError(err)}`, { cause: err });
  }
}
