// Advance notifications (DESIGN.md "advance"): a release post or mail at `url`, or a list page
// whose `links` lead to them; fetched like html pages, read by src/parse/advance/.
import type { SourceConfig } from '../../config/schema.js';
import type { Source, SourceDefaults } from '../source.js';
import { createLinkedPagesSource } from '../html/linked-pages.js';

const ACCEPT = 'text/markdown, text/plain;q=0.9, message/rfc822;q=0.8, text/html;q=0.5, */*;q=0.3';

export function createAdvanceSource(config: SourceConfig, defaults: SourceDefaults): Source {
  return createLinkedPagesSource(config, defaults, ACCEPT);
}
