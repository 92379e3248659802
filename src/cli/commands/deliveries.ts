import { openStore, type DeliveryStatus } from '../../store/index.js';
import { loadCliConfig } from '../config-option.js';
import { CliFailure } from '../failure.js';

export interface DeliveriesCommandOptions {
  readonly config?: string;
  readonly status?: DeliveryStatus;
  readonly retry?: string;
  readonly limit?: string;
}

export { DELIVERY_STATUSES } from './delivery-statuses.js';

/**
 * `secwatch deliveries`: the recorded deliveries as JSON lines, oldest first (optionally one
 * status). `--retry KEY` puts a failed delivery back to pending (attempts and last error kept) and
 * prints it; the runners send it on their next round (the BullMQ sweep, or the inline loop).
 */
export async function deliveriesCommand(options: DeliveriesCommandOptions, now: () => Date = () => new Date()): Promise<number> {
  const config = loadCliConfig(options.config);
  const limit = options.limit === undefined ? undefined : Number(options.limit);
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) throw new CliFailure(2, `--limit must be a positive integer, got "${options.limit}"`);
  const store = await openStore(config.storeUrl);
  try {
    if (options.retry !== undefined) {
      const result = await store.retryDelivery(options.retry, now());
      if (result.outcome === 'missing') throw new CliFailure(1, `no delivery with key ${options.retry}`);
      if (result.outcome === 'not-failed') {
        throw new CliFailure(1, `delivery ${options.retry} is ${result.delivery.status}, not failed: only a failed delivery can be retried`);
      }
      process.stdout.write(`${JSON.stringify(result.delivery)}\n`);
      return 0;
    }
    const list = await store.listDeliveries({
      ...(options.status === undefined ? {} : { status: options.status }),
      ...(limit === undefined ? {} : { limit }),
    });
    process.stdout.write(list.map((d) => `${JSON.stringify(d)}\n`).join(''));
    return 0;
  } finally {
    await store.close();
  }
}
