// JSON Schemas of the API (fastify validates with them; @fastify/swagger documents them).
import { SEVERITIES, type Severity } from '../model/severity.js';
import { ALERT_KINDS, type AlertKind, type SubscriptionSettings } from '../model/subscription.js';

/** The subscription filters as request properties. */
export const filterProperties = {
  minSeverity: { type: 'string', enum: [...SEVERITIES], default: 'important', description: 'severity floor' },
  matchedOnly: { type: 'boolean', default: true, description: 'only advisories that hit the inventory' },
  sources: { type: 'array', items: { type: 'string', maxLength: 100 }, maxItems: 100, description: 'source ids; every source when absent' },
  kinds: { type: 'array', items: { type: 'string', enum: [...ALERT_KINDS] }, maxItems: 3, description: 'every kind when absent' },
} as const;

export interface FilterBody {
  minSeverity?: Severity;
  matchedOnly?: boolean;
  sources?: string[];
  kinds?: AlertKind[];
}

/** Request filters → stored settings (defaults filled by the schema; absent lists stay absent). */
export function settingsFrom(body: FilterBody, base?: SubscriptionSettings): SubscriptionSettings {
  const sources = body.sources ?? base?.sources;
  const kinds = body.kinds ?? base?.kinds;
  return {
    ...base,
    minSeverity: body.minSeverity ?? base?.minSeverity ?? 'important',
    matchedOnly: body.matchedOnly ?? base?.matchedOnly ?? true,
    ...(sources ? { sources } : {}),
    ...(kinds ? { kinds } : {}),
  };
}

export const errorSchema = {
  type: 'object',
  properties: { error: { type: 'string' }, message: { type: 'string' } },
} as const;

/** `:id`-style path parameters, all plain strings. */
export function pathParams(...names: string[]) {
  return { type: 'object', properties: Object.fromEntries(names.map((n) => [n, { type: 'string', minLength: 1 }])), required: names } as const;
}
