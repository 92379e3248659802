// The `deliveries --status` choices, apart from the command so main.ts can offer them without
// loading the store (cold start).
import type { DeliveryStatus } from '../../store/store.js';

export const DELIVERY_STATUSES: readonly DeliveryStatus[] = ['pending', 'retry', 'sent', 'failed'];
