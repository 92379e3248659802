// A digest of many alerts as chat messages, split so each message stays within the platform's
// documented limits: Slack 50 blocks a message, 3,000 characters a section, 150 a header
// (https://api.slack.com/reference/block-kit/blocks); Teams about 28 KB a message. Pure: the
// digest scheduler decides which alerts go in; this only lays them out, each exactly once.
import type { Alert } from './channel.js';
import { alertView } from './render.js';
import { escapeSlack, SLACK_MAX_BLOCKS, SLACK_MAX_HEADER_TEXT, SLACK_MAX_SECTION_TEXT, type SlackBlock, type SlackMessage } from './slack/payload.js';
import { escaperFor, mdLink, renderTeams, TEAMS_MAX_BYTES, type CardUnit, type TeamsFormat, type TeamsPayload } from './teams/cards.js';

/** Matched item names listed per entry before "and N more". */
const NAMES_SHOWN = 5;

export interface DigestOptions {
  /** Shown as the header of every message, e.g. "secwatch daily digest". */
  readonly title?: string;
}

/** One alert's digest line, format-neutral and unescaped. */
interface DigestEntry {
  readonly severity: string;
  readonly title: string;
  readonly advisoryId: string;
  readonly applyBy: string;
  readonly matched: string;
  readonly changes: string;
  readonly url: string | null;
  /** Signed "Mark applied" / "Not applicable" links per matched item (every item, not only those named). */
  readonly acks: readonly DigestAck[];
}

interface DigestAck {
  readonly name: string;
  readonly applied: string;
  readonly notApplicable: string;
}

/** An item name in an acknowledgement line is cut to this, so one line always fits a section or a card unit. */
const ACK_NAME_MAX = 200;
/** Room for one Teams text unit: below cards.ts' per-unit clip (4,000), which would cut a link in half. */
const TEAMS_UNIT_TEXT = 3_500;

function entries(alerts: readonly Alert[], now: Date): DigestEntry[] {
  return alerts.map((alert) => {
    const v = alertView(alert, now);
    const names = v.matches.map((m) => m.name);
    const shown = names.slice(0, NAMES_SHOWN).join(', ');
    return {
      severity: v.severityLabel,
      title: v.title,
      advisoryId: v.advisoryId,
      applyBy: v.applyByText,
      matched: names.length === 0 ? 'no matched items' : `${names.length} matched: ${shown}${names.length > NAMES_SHOWN ? ` and ${names.length - NAMES_SHOWN} more` : ''}`,
      changes: v.changes.join('; '),
      url: v.url ?? v.remediation.url,
      acks: v.matches.flatMap((m) => (m.ackApplied && m.ackNotApplicable ? [{ name: clip(m.name, ACK_NAME_MAX), applied: m.ackApplied, notApplicable: m.ackNotApplicable }] : [])),
    };
  });
}

/**
 * Slack: one header, then per alert one section, plus as many more as its acknowledgement links
 * need (a link is never cut: each section holds whole lines, at most 3,000 characters). Sections are
 * packed into messages of at most 50 blocks, an alert's sections kept together where they fit.
 * Always a `text` fallback.
 */
export function splitSlackDigest(alerts: readonly Alert[], now: Date, options: DigestOptions = {}): SlackMessage[] {
  const title = options.title ?? 'secwatch digest';
  const perMessage = SLACK_MAX_BLOCKS - 1;
  const all = entries(alerts, now);
  const chunks: SlackBlock[][] = [];
  let current: SlackBlock[] = [];
  for (const e of all) {
    const sections = slackSections(e).map((text): SlackBlock => ({ type: 'section', text: { type: 'mrkdwn', text } }));
    if (current.length > 0 && current.length + sections.length > perMessage) {
      chunks.push(current);
      current = [];
    }
    for (const block of sections) {
      // Only an alert with more links than one message holds spills over.
      if (current.length === perMessage) {
        chunks.push(current);
        current = [];
      }
      current.push(block);
    }
  }
  if (current.length > 0) chunks.push(current);
  return chunks.map((chunk, i) => {
    const part = chunks.length > 1 ? ` (part ${i + 1}/${chunks.length})` : '';
    const head = `${title}: ${all.length} advisor${all.length === 1 ? 'y' : 'ies'}`;
    const blocks: SlackBlock[] = [{ type: 'header', text: { type: 'plain_text', text: `${clip(head, SLACK_MAX_HEADER_TEXT - part.length)}${part}` } }, ...chunk];
    return { text: `${head}${part}`, blocks };
  });
}

/** An alert's section texts: the entry, then its acknowledgement lines packed whole into sections. */
function slackSections(e: DigestEntry): string[] {
  const sections = [clip(slackEntry(e), SLACK_MAX_SECTION_TEXT)];
  for (const a of e.acks) {
    const line = `• ${escapeSlack(a.name)}: <${a.applied}|Mark applied> · <${a.notApplicable}|Not applicable>`;
    const last = sections[sections.length - 1]!;
    if (last.length + 1 + line.length <= SLACK_MAX_SECTION_TEXT) sections[sections.length - 1] = `${last}\n${line}`;
    else sections.push(line);
  }
  return sections;
}

function slackEntry(e: DigestEntry): string {
  const title = escapeSlack(e.title).replace(/\|/g, '¦');
  const linked = e.url ? `<${e.url}|${title}>` : title;
  const lines = [`*${escapeSlack(e.severity)}* ${linked} (${escapeSlack(e.advisoryId)})`, `*Apply by:* ${escapeSlack(e.applyBy)} · ${escapeSlack(e.matched)}`];
  if (e.changes) lines.push(`_Changed: ${escapeSlack(e.changes)}_`);
  return lines.join('\n');
}

/** Teams: the alerts as compact text blocks, packed into as few cards as fit ~28 KB each. */
export function splitTeamsDigest(
  alerts: readonly Alert[],
  now: Date,
  format: TeamsFormat = 'adaptive',
  options: DigestOptions & { readonly maxBytes?: number } = {},
): TeamsPayload[] {
  const esc = escaperFor(format);
  const all = entries(alerts, now);
  const title = `${options.title ?? 'secwatch digest'}: ${all.length} advisor${all.length === 1 ? 'y' : 'ies'}`;
  const units: CardUnit[] = all.flatMap((e) => {
    const head = `**${esc(e.severity)}** ${e.url ? mdLink(e.title, e.url, esc) : esc(e.title)} (${esc(e.advisoryId)})`;
    const rest = [`${esc('Apply by:')} ${esc(e.applyBy)}`, esc(e.matched), e.changes ? `_${esc(`Changed: ${e.changes}`)}_` : null].filter((x): x is string => x !== null);
    // A blank line between lines: a paragraph break in both Adaptive Card and MessageCard Markdown.
    const texts = [[head, ...rest].join('\n\n')];
    // Links go in whole lines, in the entry's unit while it has room, then in tight units after it.
    for (const a of e.acks) {
      const line = `${esc(`${a.name}:`)} ${mdLink('Mark applied', a.applied, esc)} · ${mdLink('Not applicable', a.notApplicable, esc)}`;
      const last = texts[texts.length - 1]!;
      if (last.length + 2 + line.length <= TEAMS_UNIT_TEXT) texts[texts.length - 1] = `${last}\n\n${line}`;
      else texts.push(line);
    }
    return texts.map((md, i): CardUnit => (i === 0 ? { type: 'text', md } : { type: 'text', md, tight: true }));
  });
  return renderTeams({ title, color: 'default', summary: title, units, link: null }, format, options.maxBytes ?? TEAMS_MAX_BYTES);
}


function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}
