import type { Config } from '../config/load.js';
import type { Channel } from '../deliver/channel.js';
import type { InventoryIndex } from '../match/inventory-index.js';
import type { ApplyByPolicy } from '../normalize/apply-by.js';
import type { HttpClient } from '../net/http-client.js';
import type { Source } from '../sources/source.js';
import type { Store } from '../store/store.js';
import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/logger.js';
import type { RateLimiter } from './rate-limit/limiter.js';

/** Everything a stage may touch, built once by createApp(); stages never reach for globals. */
export interface Deps {
  readonly config: Config;
  readonly store: Store;
  readonly http: HttpClient;
  readonly clock: Clock;
  readonly log: Logger;
  readonly sources: readonly Source[];
  readonly inventory: InventoryIndex;
  readonly policy: ApplyByPolicy;
  /** Channel per subscription id. */
  readonly channels: ReadonlyMap<string, Channel>;
  /** In [0, 1): retry jitter; injected so tests are deterministic. */
  readonly random: () => number;
  /** Per-endpoint send rates: Redis-backed under BullMQ (shared by all workers); in memory when absent. */
  readonly limiter?: RateLimiter;
}
