// The footer of an alert email to a store subscriber: a link to their own settings page and the
// unsubscribe link (RFC 8058's headers carry the same one for mail clients). The unsubscribe link
// leads to a page where the person confirms: a GET, as a mail scanner following links makes,
// never unsubscribes.
import { escapeHtml } from '../../util/html.js';

export interface FooterLinks {
  readonly unsubscribeUrl: string;
  /** The subscriber's settings page (web page `/ui/my/<token>`). */
  readonly settingsUrl?: string;
}

/** The text part with the links appended after a signature separator. */
export function withTextFooter(text: string, links: FooterLinks): string {
  const settings = links.settingsUrl ? `Your settings: ${links.settingsUrl}\n` : '';
  return `${text.replace(/\s+$/, '')}\n\n-- \n${settings}Unsubscribe (you will be asked to confirm): ${links.unsubscribeUrl}\n`;
}

/** The HTML part with an escaped link paragraph just before </body> (or at the end). */
export function withHtmlFooter(html: string, links: FooterLinks): string {
  const href = escapeHtml(links.unsubscribeUrl);
  const settings = links.settingsUrl ? `<a href="${escapeHtml(links.settingsUrl)}" style="color:#0645ad;">Your settings</a> · ` : '';
  const footer = `<p style="margin:16px;font-size:12px;color:#666666;">${settings}<a href="${href}" style="color:#0645ad;">Unsubscribe</a> (you will be asked to confirm): ${href}</p>\n`;
  const at = html.lastIndexOf('</body>');
  return at === -1 ? `${html}${footer}` : `${html.slice(0, at)}${footer}${html.slice(at)}`;
}
