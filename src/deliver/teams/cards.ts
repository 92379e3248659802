// Microsoft Teams payloads, in both formats Teams accepts on a webhook:
// - Workflows ("When a Teams webhook request is received"): a message with an Adaptive Card 1.4
//   attachment (schema: https://adaptivecards.io/schemas/1.4.0/adaptive-card.json);
// - legacy Office 365 connector: a MessageCard
//   (https://learn.microsoft.com/en-us/outlook/actionable-messages/message-card-reference).
// A Teams message is limited to about 28 KB; longer content is split into parts that each fit.
import { escapeCardText, escapeMessageCardText, mdLink, messageCardSummary } from './markdown.js';

export type TeamsFormat = 'adaptive' | 'messagecard';

/** Stay under Teams' ~28 KB per message, counted in bytes of the serialized JSON (28 KB read as 28,000). */
export const TEAMS_MAX_BYTES = 28_000;
export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';
export const ADAPTIVE_CARD_SCHEMA = 'http://adaptivecards.io/schemas/adaptive-card.json';
/** Longest text one unit carries, so any single unit fits a message with room to spare. */
const MAX_UNIT_TEXT = 4000;

/**
 * Format-neutral content: units are already escaped Markdown (`md`) or a fact list with plain
 * values; each format renders them its own way. A unit is never split across messages.
 */
export type CardUnit =
  | { readonly type: 'text'; readonly md: string; readonly weight?: 'bolder'; readonly color?: 'attention' | 'warning'; readonly tight?: boolean }
  | { readonly type: 'facts'; readonly facts: readonly (readonly [string, string])[] };

export interface CardContent {
  /** Plain text; escaped here. "(part i/k)" is appended when the content needs several messages. */
  readonly title: string;
  readonly color: 'attention' | 'warning' | 'accent' | 'default';
  /** Plain one-line summary (notification text, MessageCard `summary`). */
  readonly summary: string;
  readonly units: readonly CardUnit[];
  readonly link: { readonly title: string; readonly url: string } | null;
}

export interface AdaptiveCardMessage {
  readonly type: 'message';
  readonly attachments: readonly [
    {
      readonly contentType: typeof ADAPTIVE_CARD_CONTENT_TYPE;
      readonly contentUrl: null;
      readonly content: {
        readonly $schema: string;
        readonly type: 'AdaptiveCard';
        readonly version: '1.4';
        readonly body: readonly Record<string, unknown>[];
        readonly actions?: readonly Record<string, unknown>[];
        readonly msteams: { readonly width: 'Full' };
      };
    },
  ];
}

export interface MessageCard {
  readonly '@type': 'MessageCard';
  readonly '@context': 'https://schema.org/extensions';
  readonly summary: string;
  readonly themeColor: string;
  readonly title: string;
  readonly sections: readonly Record<string, unknown>[];
  readonly potentialAction?: readonly Record<string, unknown>[];
}

export type TeamsPayload = AdaptiveCardMessage | MessageCard;

const THEME = { attention: 'B00020', warning: 'C2410C', accent: '1D4ED8', default: '444444' } as const;

/** Bytes of the JSON we would POST. */
export function payloadBytes(p: TeamsPayload): number {
  return Buffer.byteLength(JSON.stringify(p), 'utf8');
}

/**
 * Content → one or more payloads, each at most `maxBytes` serialized. Units are packed in order;
 * every part repeats the title with "(part i/k)" and the link button.
 */
export function renderTeams(content: CardContent, format: TeamsFormat, maxBytes = TEAMS_MAX_BYTES): TeamsPayload[] {
  const units = content.units.map(clipUnit);
  const render = format === 'adaptive' ? renderAdaptive : renderMessageCard;
  // The widest title any part can get: measured sizes are upper bounds.
  const widest = { ...content, title: `${content.title} (part 9999/9999)` };
  const base = payloadBytes(render(widest, []));
  const sizes = units.map((u) => unitBytes(u, format));
  const parts: CardUnit[][] = [[]];
  let used = base;
  units.forEach((u, i) => {
    const size = (sizes[i] ?? 0) + 1; // and a comma
    const current = parts[parts.length - 1]!;
    if (current.length > 0 && used + size > maxBytes) {
      parts.push([u]);
      used = base + size;
    } else {
      current.push(u);
      used += size;
    }
  });
  return parts.map((p, i) =>
    render({ ...content, title: parts.length === 1 ? content.title : `${content.title} (part ${i + 1}/${parts.length})` }, p),
  );
}

function renderAdaptive(content: CardContent, units: readonly CardUnit[]): AdaptiveCardMessage {
  const body: Record<string, unknown>[] = [
    { type: 'TextBlock', text: escapeCardText(content.title), size: 'Large', weight: 'Bolder', wrap: true, ...(content.color !== 'default' ? { color: cap(content.color) } : {}) },
    ...units.map(adaptiveElement),
  ];
  const actions = content.link ? [{ type: 'Action.OpenUrl', title: content.link.title, url: content.link.url }] : undefined;
  return {
    type: 'message',
    attachments: [
      {
        contentType: ADAPTIVE_CARD_CONTENT_TYPE,
        contentUrl: null,
        content: { $schema: ADAPTIVE_CARD_SCHEMA, type: 'AdaptiveCard', version: '1.4', body, ...(actions ? { actions } : {}), msteams: { width: 'Full' } },
      },
    ],
  };
}

function adaptiveElement(u: CardUnit): Record<string, unknown> {
  if (u.type === 'facts') return { type: 'FactSet', facts: u.facts.map(([title, value]) => ({ title: escapeCardText(title), value: escapeCardText(value) })) };
  return {
    type: 'TextBlock',
    text: u.md,
    wrap: true,
    ...(u.weight ? { weight: 'Bolder' } : {}),
    ...(u.color ? { color: cap(u.color) } : {}),
    ...(u.tight ? { spacing: 'None' } : {}),
  };
}

function renderMessageCard(content: CardContent, units: readonly CardUnit[]): MessageCard {
  return {
    '@type': 'MessageCard',
    '@context': 'https://schema.org/extensions',
    summary: messageCardSummary(content.summary),
    themeColor: THEME[content.color],
    title: escapeMessageCardText(content.title),
    sections: units.map(messageCardSection),
    ...(content.link
      ? { potentialAction: [{ '@type': 'OpenUri', name: content.link.title, targets: [{ os: 'default', uri: content.link.url }] }] }
      : {}),
  };
}

function messageCardSection(u: CardUnit): Record<string, unknown> {
  if (u.type === 'facts') return { facts: u.facts.map(([name, value]) => ({ name: escapeMessageCardText(name), value: escapeMessageCardText(value) })) };
  return { text: u.weight ? `**${u.md}**` : u.md, markdown: true };
}

function unitBytes(u: CardUnit, format: TeamsFormat): number {
  return Buffer.byteLength(JSON.stringify(format === 'adaptive' ? adaptiveElement(u) : messageCardSection(u)), 'utf8');
}

function clipUnit(u: CardUnit): CardUnit {
  if (u.type !== 'text' || u.md.length <= MAX_UNIT_TEXT) return u;
  // Cut before a trailing backslash so an escape is never split in half.
  return { ...u, md: `${u.md.slice(0, MAX_UNIT_TEXT - 1).replace(/\\+$/, '')}…` };
}

function cap(s: string): string {
  return `${s[0]?.toUpperCase() ?? ''}${s.slice(1)}`;
}

/** Re-exported so builders escape with the function that matches the format. */
export function escaperFor(format: TeamsFormat): (s: string) => string {
  return format === 'adaptive' ? escapeCardText : escapeMessageCardText;
}

export { mdLink };
