import { ParseError } from '../../errors.js';
import { loadPage } from './extract.js';

/**
 * The advisory links of a list page: `href`s of the elements the selector picks, made absolute,
 * de-duplicated, in page order. Only links to the list page's own origin are kept (file: ones
 * under a file: list page).
 */
export function advisoryLinks(body: Uint8Array, pageUrl: string, selector: string): string[] {
  const $ = loadPage(body);
  let hrefs: string[];
  try {
    hrefs = $(selector)
      .toArray()
      .map((el) => $(el).attr('href') ?? $(el).find('a[href]').first().attr('href') ?? '')
      .filter((h) => h !== '');
  } catch (err) {
    throw new ParseError('html', `${pageUrl}: ${(err as Error).message}`, { cause: err });
  }
  if (hrefs.length === 0) throw new ParseError('html', `${pageUrl}: links selector "${selector}" matched no link`, { where: selector });
  const base = new URL(pageUrl);
  const out = new Set<string>();
  for (const h of hrefs) {
    let u: URL;
    try {
      u = new URL(h, base);
    } catch {
      continue;
    }
    // Same origin only: the operator chose the list page's host, not whatever hosts it links to
    // (a tampered page must not make us fetch internal addresses and publish what they return).
    const allowed = u.protocol === 'file:' ? base.protocol === 'file:' : (u.protocol === 'http:' || u.protocol === 'https:') && u.origin === base.origin;
    if (allowed) out.add(u.href);
  }
  // Links all refused (other hosts, javascript:, unparsable) would otherwise look like "nothing new".
  if (out.size === 0) {
    throw new ParseError('html', `${pageUrl}: links selector "${selector}" matched ${hrefs.length} link(s), none to this page's own origin`, { where: selector });
  }
  return [...out];
}
