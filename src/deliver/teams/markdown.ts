// Text for Teams cards. Adaptive Card TextBlocks render a Markdown subset (bold, italic, lists,
// links: https://learn.microsoft.com/en-us/adaptive-cards/authoring-cards/text-features) and
// expand {{DATE(…)}} / {{TIME(…)}}; legacy MessageCard text is Markdown plus a little HTML.
// Text we did not write (titles, product names) must show as written, never as markup.

/** Characters that start emphasis, code or a link anywhere in a line; a backslash makes each literal. */
const MD_INLINE = /[\\`*_[\]~]/g;
/** What starts a list, heading or quote at the beginning of a line. */
const MD_LINE_START = /^(\d+(?=\.\s)|[-+#>](?=\s|$))/;

/** Literal text inside an Adaptive Card TextBlock (or a FactSet value). */
export function escapeCardText(s: string): string {
  // "{{" would start a DATE()/TIME() function; a zero-width space keeps the braces literal.
  return oneLine(s)
    .replace(/\{(?=\{)/g, '{\u200b')
    .replace(MD_INLINE, '\\$&')
    .replace(MD_LINE_START, (m) => (/^\d/.test(m) ? `${m}\\` : `\\${m}`));
}

/** Literal text inside a legacy MessageCard (Markdown, and Teams renders some HTML there too). */
export function escapeMessageCardText(s: string): string {
  return escapeCardText(s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'));
}

/** Longest MessageCard `summary`: it is a one-line notification preview, not the message. */
export const MESSAGE_CARD_SUMMARY_MAX = 200;

/**
 * A legacy MessageCard's `summary`: plain text Teams and Outlook show as the notification line,
 * where some clients read HTML. One line (no CR/LF, control or bidi characters), &, < and > escaped as
 * in the card text, cut at MESSAGE_CARD_SUMMARY_MAX characters before escaping (never inside an entity).
 */
export function messageCardSummary(s: string): string {
  // C1 controls and bidi overrides too: a notification line must not be re-ordered to spoof a title.
  const line = oneLine(s.replace(/[\u0080-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, ' '));
  // Counted in code points, so the cut never leaves half a surrogate pair.
  const chars = [...line];
  const cut = chars.length > MESSAGE_CARD_SUMMARY_MAX ? `${chars.slice(0, MESSAGE_CARD_SUMMARY_MAX - 1).join('').trimEnd()}…` : line;
  return cut.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A link as Markdown; only http(s) URLs, with the characters that would end the link encoded. */
export function mdLink(text: string, url: string, escape: (s: string) => string = escapeCardText): string {
  return `[${escape(text)}](${url.replace(/[()\s]/g, (c) => encodeURIComponent(c))})`;
}

function oneLine(s: string): string {
  // eslint-disable-next-line no-control-regex -- stripping control characters is the point
  return s.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').replace(/\s+/g, ' ').trim();
}
