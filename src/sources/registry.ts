import type { SourceConfig } from '../config/schema.js';
import type { SourceKind } from '../model/advisory.js';
import { createCsafSource } from './csaf/csaf-source.js';
import { createCvrfSource } from './cvrf/cvrf-source.js';
import { createOsvSource } from './osv/osv-source.js';
import { createSingleDocumentSource } from './single-document.js';
import { createHtmlSource } from './html/index.js';
import { createAdvanceSource } from './advance/index.js';
import { createMboxSource } from './mbox/mbox-source.js';
import type { Source, SourceDefaults, SourceFactory } from './source.js';

/** Every source kind and how to build it; the compiler flags a kind without a factory. */
export const sourceFactories = {
  kev: createSingleDocumentSource,
  rss: createSingleDocumentSource,
  cvrf: createCvrfSource,
  osv: createOsvSource,
  csaf: createCsafSource,
  html: createHtmlSource,
  advance: createAdvanceSource,
  mbox: createMboxSource,
} satisfies Record<SourceKind, SourceFactory>;

export function createSource(config: SourceConfig, defaults: SourceDefaults): Source {
  return sourceFactories[config.kind](config, defaults);
}
