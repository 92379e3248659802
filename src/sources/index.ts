export { createSource, sourceFactories } from './registry.js';
export type { Source, SourceContext, FetchResult, SourceFactory } from './source.js';
