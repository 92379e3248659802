// Pages without a feed (DESIGN.md "html"): a list page, the advisory pages it links to, read with
// the config's cheerio selectors by src/parse/html/.
import type { SourceConfig } from '../../config/schema.js';
import type { HtmlPageSpec } from '../../parse/html/index.js';
import type { Source, SourceDefaults } from '../source.js';
import { createLinkedPagesSource } from './linked-pages.js';

const ACCEPT = 'text/html, application/xhtml+xml;q=0.9, text/plain;q=0.8, */*;q=0.5';

export function createHtmlSource(config: SourceConfig, defaults: SourceDefaults): Source {
  return createLinkedPagesSource(config, defaults, ACCEPT);
}

/** What the html parser needs from an html source's config. */
export function htmlPageSpec(config: SourceConfig): HtmlPageSpec | undefined {
  if (config.kind !== 'html') return undefined;
  return {
    ...(config.section ? { section: config.section } : {}),
    ...(config.fields ? { fields: config.fields } : {}),
    ...(config.vendor ? { vendor: config.vendor } : {}),
    ...(config.idPrefix ? { idPrefix: config.idPrefix } : {}),
  };
}
