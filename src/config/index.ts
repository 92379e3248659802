export { loadConfigFile, resolveConfig, type Config, type Env, type ResolvedSubscription } from './load.js';
export type { SourceConfig, SubscriptionConfig } from './schema.js';
export { parseDuration, parseByteSize } from './duration.js';
