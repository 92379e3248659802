import type { SourceConfig } from '../config/schema.js';
import type { Source } from './source.js';

/**
 * A source that is one document at one URL, re-fetched with a conditional GET: the CISA KEV
 * catalog, an RSS/Atom feed. A 304 (or an unchanged file) means nothing to parse.
 */
export function createSingleDocumentSource(config: SourceConfig, defaults: { readonly maxBytes: number }): Source {
  const accept = config.kind === 'kev' ? 'application/json' : 'application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5';
  return {
    id: config.id,
    kind: config.kind,
    config,
    async fetch(ctx, state) {
      const result = await ctx.http.get(config.url, {
        accept,
        maxBytes: config.maxBytes ?? defaults.maxBytes,
        ...(state?.validators ? { validators: state.validators } : {}),
        ...(ctx.signal ? { signal: ctx.signal } : {}),
      });
      if (result.status === 'not-modified') return { status: 'not-modified', validators: result.validators };
      return {
        status: 'ok',
        validators: result.validators,
        documents: [
          {
            sourceId: config.id,
            sourceKind: config.kind,
            url: result.url,
            body: result.body,
            fetchedAt: ctx.clock.now(),
            ...(result.contentType ? { contentType: result.contentType } : {}),
          },
        ],
      };
    },
  };
}
