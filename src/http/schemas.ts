// JSON Schemas of the API (fastify validates with them; @fastify/swagger documents them).
import { SEVERITIES, type Severity } from '../model/severity.js';
import { isTimeZone } from '../deliver/digest/window.js';
import {
  ALERT_KINDS,
  DIGEST_BYPASS,
  DIGEST_EVERY,
  type AlertKind,
  type DeliverySchedule,
  type DigestBypass,
  type DigestEvery,
  type SubscriptionSettings,
} from '../model/subscription.js';

/** The subscription filters as request properties. */
export const filterProperties = {
  minSeverity: { type: 'string', enum: [...SEVERITIES], default: 'important', description: 'severity floor' },
  matchedOnly: { type: 'boolean', default: true, description: 'only advisories that hit the inventory' },
  sources: { type: 'array', items: { type: 'string', maxLength: 100 }, maxItems: 100, description: 'source ids; every source when absent' },
  kinds: { type: 'array', items: { type: 'string', enum: [...ALERT_KINDS] }, maxItems: 3, description: 'every kind when absent' },
  delivery: {
    type: 'object',
    description: 'immediate (default) or a digest: hourly, or daily at `at` (HH:MM) in `timeZone` (IANA, default UTC)',
    properties: {
      mode: { type: 'string', enum: ['immediate', 'digest'] },
      every: { type: 'string', enum: [...DIGEST_EVERY] },
      at: { type: 'string', pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' },
      timeZone: { type: 'string', minLength: 1, maxLength: 64 },
    },
    required: ['mode'],
    additionalProperties: false,
  },
  bypassDigest: {
    type: 'array',
    items: { type: 'string', enum: [...DIGEST_BYPASS] },
    maxItems: 2,
    uniqueItems: true,
    description: 'what skips a digest and goes out at once; ["critical", "kev"] when absent, [] holds everything',
  },
  remindBefore: {
    type: 'array',
    items: { type: 'string', pattern: '^[0-9]{1,3}d$' },
    maxItems: 10,
    description: 'apply-by reminders this many whole days before the date ("0d" = on the day); ["3d","0d"] when absent; [] = none',
  },
} as const;

export interface FilterBody {
  minSeverity?: Severity;
  matchedOnly?: boolean;
  sources?: string[];
  kinds?: AlertKind[];
  delivery?: { mode: 'immediate' | 'digest'; every?: DigestEvery; at?: string; timeZone?: string };
  bypassDigest?: DigestBypass[];
  remindBefore?: string[];
}

/** Request filters → stored settings (defaults filled by the schema; absent lists stay absent). */
export function settingsFrom(body: FilterBody, base?: SubscriptionSettings): SubscriptionSettings {
  const sources = body.sources ?? base?.sources;
  const kinds = body.kinds ?? base?.kinds;
  const delivery = body.delivery ? checkedSchedule(body.delivery) : base?.delivery;
  const bypassDigest = body.bypassDigest ?? base?.bypassDigest;
  const remindBefore = body.remindBefore ?? base?.remindBefore;
  return {
    ...base,
    minSeverity: body.minSeverity ?? base?.minSeverity ?? 'important',
    matchedOnly: body.matchedOnly ?? base?.matchedOnly ?? true,
    ...(sources ? { sources } : {}),
    ...(kinds ? { kinds } : {}),
    ...(delivery ? { delivery } : {}),
    ...(bypassDigest ? { bypassDigest } : {}),
    ...(remindBefore ? { remindBefore } : {}),
  };
}

/** A digest schedule with its time zone checked (JSON Schema cannot know IANA names): 400 otherwise. */
function checkedSchedule(d: NonNullable<FilterBody['delivery']>): DeliverySchedule {
  if (d.timeZone !== undefined && !isTimeZone(d.timeZone)) {
    throw Object.assign(new Error(`delivery.timeZone "${d.timeZone}" is not an IANA time zone such as "Europe/Berlin"`), { statusCode: 400 });
  }
  return { mode: d.mode, ...(d.mode === 'digest' ? { every: d.every ?? 'daily' } : {}), ...(d.at ? { at: d.at } : {}), ...(d.timeZone ? { timeZone: d.timeZone } : {}) };
}

export const errorSchema = {
  type: 'object',
  properties: { error: { type: 'string' }, message: { type: 'string' } },
} as const;

/** `:id`-style path parameters, all plain strings. */
export function pathParams(...names: string[]) {
  return { type: 'object', properties: Object.fromEntries(names.map((n) => [n, { type: 'string', minLength: 1 }])), required: names } as const;
}
