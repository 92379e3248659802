// https://api.slack.com/messaging/webhooks — Block Kit: https://api.slack.com/reference/block-kit/blocks
import type { Alert } from '../channel.js';
import { alertView } from '../render.js';

/** Slack's documented limits for one message. */
export const SLACK_MAX_BLOCKS = 50;
export const SLACK_MAX_SECTION_TEXT = 3000;
export const SLACK_MAX_HEADER_TEXT = 150;

/** The subset of Block Kit we send; `text` is the notification and accessibility fallback. */
export interface SlackMessage {
  readonly text: string;
  readonly blocks: readonly SlackBlock[];
}
export type SlackBlock =
  | { readonly type: 'header'; readonly text: { readonly type: 'plain_text'; readonly text: string } }
  | { readonly type: 'section'; readonly text: { readonly type: 'mrkdwn'; readonly text: string } }
  | { readonly type: 'divider' }
  | {
      readonly type: 'actions';
      readonly elements: readonly [{ readonly type: 'button'; readonly text: { readonly type: 'plain_text'; readonly text: string }; readonly url: string }];
    };

/** One alert → one Slack message that always fits Slack's limits (item lists end in "and N more"). */
export function buildSlackMessage(alert: Alert, now: Date): SlackMessage {
  const v = alertView(alert, now);
  const header = clip(`${v.reminderText ? 'Reminder: ' : ''}${v.severityLabel}: ${v.title}`, SLACK_MAX_HEADER_TEXT);
  const blocks: SlackBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: header } },
    section(`*${escapeSlack(v.severityLabel)}* (${escapeSlack(v.severityWhy)}) · ${escapeSlack(v.changeText)} · ${escapeSlack(v.advisoryId)}${v.cvesText ? ` · ${escapeSlack(v.cvesText)}` : ''}`),
    section(`*Apply by:* ${escapeSlack(v.applyByText)}\n_${escapeSlack(v.applyByRule)}_`),
  ];
  if (v.matches.length > 0) {
    const lines = v.matches.map(
      (m) =>
        `• *${escapeSlack(m.name)}* (${escapeSlack(m.collection)}${m.location ? `, ${escapeSlack(m.location)}` : ''}) ×${m.instances}${m.exposed ? ', internet-facing' : ''}, ${escapeSlack(m.confidence)} confidence, apply by ${escapeSlack(m.applyByText)}\n   _${escapeSlack(m.reason)}_` +
        (m.ackApplied && m.ackNotApplicable ? `\n   <${m.ackApplied}|Mark applied> · <${m.ackNotApplicable}|Not applicable>` : ''),
    );
    blocks.push(section(listText(`*Matched items (${v.matchCount}):*`, lines)));
  }
  const r = v.remediation;
  const apply = r.none
    ? 'No fix published yet.'
    : [r.action, r.kbs ? `KBs: ${r.kbs}` : null, r.fixedVersions ? `Fixed in: ${r.fixedVersions}` : null]
        .filter((x): x is string => x !== null)
        .map(escapeSlack)
        .join('\n');
  blocks.push(section(clip(`*What to apply:*\n${apply}`, SLACK_MAX_SECTION_TEXT)));
  const link = v.url ?? r.url;
  if (link) blocks.push({ type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open advisory' }, url: link }] });
  // `text` is mrkdwn too (the notification): a title holding <!channel> must not ping anyone.
  return { text: escapeSlack(`${v.subject}${link ? ` ${link}` : ''}`), blocks: blocks.slice(0, SLACK_MAX_BLOCKS) };
}

/** Header plus as many lines as fit in one section, then "and N more". */
function listText(head: string, lines: readonly string[]): string {
  let out = head;
  for (let i = 0; i < lines.length; i++) {
    const more = `\n…and ${lines.length - i - 1} more`;
    const next = `${out}\n${lines[i] ?? ''}`;
    if (next.length + more.length > SLACK_MAX_SECTION_TEXT) return `${out}\n…and ${lines.length - i} more`;
    out = next;
  }
  return out;
}

function section(text: string): SlackBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: clip(text, SLACK_MAX_SECTION_TEXT) } };
}

function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

/** Slack mrkdwn control characters (https://api.slack.com/reference/surfaces/formatting#escaping). */
export function escapeSlack(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
