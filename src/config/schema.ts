import { z } from 'zod';
import { SEVERITIES } from '../model/severity.js';
import { DIGEST_BYPASS, DIGEST_EVERY } from '../model/subscription.js';
import { isTimeZone, isWallTime } from '../deliver/digest/window.js';
import { parseByteSize, parseDuration } from './duration.js';
import { parseRate } from './rate.js';
import { DEFAULT_ZIP_MAX_ENTRIES, DEFAULT_ZIP_MAX_TOTAL_BYTES } from '../util/zip.js';
import { advanceSourceFields, htmlSourceFields } from './page-sources.js';

// The single source of truth for config/secwatch.yaml: defaults live here, docs in config/default.yaml.

const duration = z
  .union([z.string(), z.number()])
  .transform((v, ctx) => {
    const ms = parseDuration(v);
    if (ms === undefined) {
      ctx.addIssue({ code: 'custom', message: `"${v}" is not a duration such as 90s, 15m, 1h or 1d` });
      return z.NEVER;
    }
    return ms;
  });

/** "N/duration" (e.g. 1/s, 4/1s, 30/1m): at most N sends in any window of that length. */
const rateLimit = z.string().transform((v, ctx) => {
  const rate = parseRate(v);
  if (rate === undefined) {
    ctx.addIssue({ code: 'custom', message: `"${v}" is not a rate such as 1/s, 4/1s or 30/1m` });
    return z.NEVER;
  }
  return rate;
});

const byteSize = z
  .union([z.string(), z.number()])
  .transform((v, ctx) => {
    const n = parseByteSize(v);
    if (n === undefined) {
      ctx.addIssue({ code: 'custom', message: `"${v}" is not a size such as 512kB or 20MB` });
      return z.NEVER;
    }
    return n;
  });

/** osv.dev's largest all.zip (npm) holds a few hundred thousand records: one poll of it must pass. */
export const DEFAULT_MAX_DOCUMENTS_PER_POLL = 500_000;
/** The KEV catalog, the largest single document, announces ~1,500; a zip parsed whole by `secwatch parse` more. */
export const DEFAULT_MAX_ITEMS_PER_DOCUMENT = 100_000;

const zipLimits = z
  .object({
    /** Most record entries one archive may hold. */
    maxEntries: z.number().int().positive().default(DEFAULT_ZIP_MAX_ENTRIES),
    /** Most bytes inflating one archive may produce, all entries together. */
    maxBytes: byteSize.default(DEFAULT_ZIP_MAX_TOTAL_BYTES),
    /** Most bytes one entry may unpack to (a larger one is skipped and named); default: the source's maxBytes. */
    maxEntryBytes: byteSize.optional(),
  })
  .strict();

const sourceUrl = z.string().refine((u) => /^(https?|file):/i.test(u), {
  message: 'must be an http(s):// or file: URL',
});

const id = z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'must be lower-case letters, digits, ".", "_" or "-"');

const sourceBase = {
  id,
  url: sourceUrl,
  interval: duration.default(3_600_000),
  enabled: z.boolean().default(true),
  /** Per-source override of fetch.maxBytes (a KEV catalog is over 1 MB, an RSS feed rarely). */
  maxBytes: byteSize.optional(),
  /** Per-source override of fetch.timeout (a slow vendor site, a large archive). */
  timeout: duration.optional(),
  /** Per-source override of fetch.maxDocumentsPerPoll (listing sources — csaf, cvrf, html, advance, an osv folder — fetch that many and leave the rest to the next polls; others: the poll is refused). */
  maxDocuments: z.number().int().positive().optional(),
};

/** What happens to a document that does not verify (README "Verification and CSAF"). */
export const verifyPolicy = z.enum(['require', 'prefer', 'off']).default('prefer');

/** A pinned OpenPGP key: its primary fingerprint, and optionally the key file (relative to the config file's folder). */
export const pinnedKey = z
  .object({
    fingerprint: z
      .string()
      .transform((f) => f.replace(/\s+/g, '').toUpperCase())
      .refine((f) => /^(?:[0-9A-F]{40}|[0-9A-F]{64})$/.test(f), { message: 'must be a 40- or 64-hex-digit key fingerprint' }),
    file: z.string().optional(),
  })
  .strict();

export const sourceSchema = z.discriminatedUnion('kind', [
  z.object({ ...sourceBase, kind: z.literal('kev') }).strict(),
  z
    .object({
      ...sourceBase,
      kind: z.literal('rss'),
      /** Vendor the feed speaks for (e.g. "Debian"): affected products are attributed to it. */
      vendor: z.string().optional(),
      /** The publisher's rating when the feed carries none (e.g. a PSIRT feed of critical notices only). */
      defaultSeverity: z.enum(SEVERITIES).optional(),
    })
    .strict(),
  z
    .object({
      ...sourceBase,
      kind: z.literal('cvrf'),
      /** First month to fetch ("2025-01"): the index lists every month since 1999. Default: the last 3 months. */
      since: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month such as 2025-01').optional(),
    })
    .strict(),
  /** OSV records: one JSON record or array over http(s)/file, or a file: folder of *.json records. */
  z.object({ ...sourceBase, kind: z.literal('osv') }).strict(),
  /** A CSAF 2.0 provider: `url` is its provider-metadata.json (src/sources/csaf/). */
  z
    .object({
      ...sourceBase,
      kind: z.literal('csaf'),
      verify: verifyPolicy,
      /** Pinned keys; when given they replace the provider-metadata's public_openpgp_keys as the pins. */
      keys: z.array(pinnedKey).optional(),
      /** Documents last updated before this day ("2025-01-01") are never fetched (a large provider's history). */
      since: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'must be a day such as 2025-01-01').optional(),
      // maxDocuments (sourceBase): for csaf, newest first, and the rest follow on the next polls.
    })
    .strict(),
  /** Pages without a feed, read with selectors (src/config/page-sources.ts). */
  z.object({ ...sourceBase, kind: z.literal('html'), ...htmlSourceFields }).strict(),
  /** Advance notifications of security releases. */
  z.object({ ...sourceBase, kind: z.literal('advance'), ...advanceSourceFields }).strict(),
  /** Mailing-list archives: an mbox/mbox.gz over http(s) or file:, or a file: Maildir folder (src/sources/mbox/). */
  z
    .object({
      ...sourceBase,
      kind: z.literal('mbox'),
      /** mboxrd (">From " quoting undone at every depth) or mboxo (one level only). */
      format: z.enum(['mboxrd', 'mboxo']).default('mboxrd'),
      verify: verifyPolicy,
      /** Pinned keys of the signers whose mails count (e.g. the OpenSSL and Debian security teams). */
      keys: z.array(pinnedKey).optional(),
      /** The rating of advisories whose mail carries none (Debian DSAs state no severity). */
      defaultSeverity: z.enum(SEVERITIES).optional(),
    })
    .strict(),
]);

const webhookSubscription = z
  .object({
    channel: z.literal('webhook'),
    /** Literal URL, or `urlEnv` naming the environment variable that holds it (URLs can be secrets). */
    url: z.url().optional(),
    urlEnv: z.string().optional(),
    /** Environment variable that holds the Standard Webhooks secret (whsec_…); during a rotation, several separated by commas or spaces (new first), each signing. */
    secretEnv: z.string(),
  })
  .strict();

const slackSubscription = z
  .object({
    channel: z.literal('slack'),
    /** Environment variable holding the incoming-webhook URL (the URL is the credential). */
    urlEnv: z.string().min(1),
  })
  .strict();

const teamsSubscription = z
  .object({
    channel: z.literal('teams'),
    /** Environment variable holding the Teams Workflows (or legacy connector) webhook URL: the URL is the credential. */
    urlEnv: z.string().min(1),
    /** `adaptive`: Adaptive Card 1.4 for a Workflows webhook; `messagecard`: legacy Office 365 connector card. */
    format: z.enum(['adaptive', 'messagecard']).default('adaptive'),
  })
  .strict();

const emailSubscription = z
  .object({
    channel: z.literal('email'),
    to: z.array(z.email()).min(1),
  })
  .strict();

/** Immediate (default) or a digest per window; src/deliver/digest/. */
export const deliverySchedule = z
  .object({
    mode: z.enum(['immediate', 'digest']),
    every: z.enum(DIGEST_EVERY).default('daily'),
    /** Daily: the local time the digest goes out; hourly: its minute. */
    at: z.string().refine(isWallTime, 'must be HH:MM (24-hour clock)').optional(),
    /** IANA time zone of `at`, e.g. "Europe/Berlin"; UTC when absent. */
    timeZone: z.string().refine(isTimeZone, 'must be an IANA time zone such as "Europe/Berlin"').optional(),
  })
  .strict();

const subscriptionFilters = {
  id,
  delivery: deliverySchedule.optional(),
  /** What skips a digest and goes out at once; ["critical", "kev"] when absent, [] holds everything. */
  bypassDigest: z.array(z.enum(DIGEST_BYPASS)).optional(),
  minSeverity: z.enum(SEVERITIES).default('important'),
  /** Only advisories that match the inventory (true) or everything over the floor (false). */
  matchedOnly: z.boolean().default(true),
  /** Restrict to these source ids; all sources when absent. */
  sources: z.array(id).optional(),
  /** Send rate to this subscription's endpoint, e.g. "1/s" or "30/1m"; default per channel kind (runner.rateLimits). */
  rateLimit: rateLimit.optional(),
  /** Apply-by reminders this many whole days before the date ("0d" = on the day); default ["3d", "0d"]; [] = none (src/remind/). */
  remindBefore: z.array(z.string().regex(/^\d{1,3}d$/, 'must be whole days such as "3d" or "0d"')).max(10).optional(),
};

export const subscriptionSchema = z
  .discriminatedUnion('channel', [webhookSubscription, emailSubscription, slackSubscription, teamsSubscription])
  .and(z.object(subscriptionFilters))
  .superRefine((s, ctx) => {
    if (s.channel === 'webhook' && !s.url === !s.urlEnv) {
      ctx.addIssue({ code: 'custom', path: ['url'], message: 'give exactly one of url or urlEnv' });
    }
  });

const isRegExp = (p: string): boolean => {
  try {
    new RegExp(p, 'i');
    return true;
  } catch {
    return false;
  }
};

export const configSchema = z
  .object({
    /** Where the database, outbox and written feed live unless given explicitly. */
    dataDir: z.string().default('var'),
    store: z.object({ url: z.string().optional() }).strict().default({}),
    fetch: z
      .object({
        timeout: duration.default(30_000),
        maxBytes: byteSize.default(20 * 1024 * 1024),
        maxRedirects: z.number().int().min(0).max(20).default(5),
        userAgent: z.string().default('secwatch/0.1 (+https://github.com/secwatch/secwatch)'),
        /** Most documents one poll may yield (OSV folder/zip entries, CVRF months, mbox messages, linked pages); README "Limits". */
        maxDocumentsPerPoll: z.number().int().positive().default(DEFAULT_MAX_DOCUMENTS_PER_POLL),
        /** Most advisories one document may announce; a document over it is refused by name. */
        maxItemsPerDocument: z.number().int().positive().default(DEFAULT_MAX_ITEMS_PER_DOCUMENT),
        /** Zip archives of records (osv all.zip), counted on the bytes inflating really produces; README "Limits". */
        zip: zipLimits.default({ maxEntries: DEFAULT_ZIP_MAX_ENTRIES, maxBytes: DEFAULT_ZIP_MAX_TOTAL_BYTES }),
      })
      .strict()
      .default({
        timeout: 30_000,
        maxBytes: 20 * 1024 * 1024,
        maxRedirects: 5,
        userAgent: 'secwatch/0.1 (+https://github.com/secwatch/secwatch)',
        maxDocumentsPerPoll: DEFAULT_MAX_DOCUMENTS_PER_POLL,
        maxItemsPerDocument: DEFAULT_MAX_ITEMS_PER_DOCUMENT,
        zip: { maxEntries: DEFAULT_ZIP_MAX_ENTRIES, maxBytes: DEFAULT_ZIP_MAX_TOTAL_BYTES },
      }),
    runner: z
      .object({
        concurrency: z.number().int().min(1).max(64).default(4),
        /** `inline`: one process; `bullmq`: stages as jobs on Redis (REDIS_URL), run by `secwatch worker`. Default: bullmq when REDIS_URL is set. */
        kind: z.enum(['inline', 'bullmq']).optional(),
        /** Namespace of every BullMQ key in Redis, so several deployments can share one Redis. */
        prefix: z.string().regex(/^[A-Za-z0-9_.-]+$/).default('secwatch'),
        /** Deliveries started per second across all workers (BullMQ limiter); 0 = unlimited. */
        deliveriesPerSecond: z.number().int().min(0).default(0),
        /** How long a worker's claim on a delivery lasts (longer than one send takes); default 2 × fetch.timeout + 30s. */
        claimLease: duration.optional(),
        /** Per-endpoint send rate by channel kind, e.g. { slack: 1/s, teams: 4/s } (those two are the defaults). */
        rateLimits: z.partialRecord(z.enum(['webhook', 'email', 'slack', 'teams']), rateLimit).optional(),
        /** How often due reminders are looked for (src/remind/): the inline loop and the BullMQ `remind` scheduler; default 15m. */
        remindEvery: duration.optional(),
      })
      .strict()
      .default({ concurrency: 4, prefix: 'secwatch', deliveriesPerSecond: 0 }),
    policy: z
      .object({
        /** Apply-by rules in force; the earliest date wins. */
        applyBy: z.array(z.enum(['msrc-classic', 'kev', 'bod-26-04'])).min(1).default(['msrc-classic', 'kev']),
        /** Start the clock at the vendor's release date, or when secwatch first saw the advisory. */
        clockStart: z.enum(['release', 'first-seen']).default('release'),
      })
      .strict()
      .default({ applyBy: ['msrc-classic', 'kev'], clockStart: 'release' }),
    sources: z.array(sourceSchema).default([]),
    inventory: z
      .object({
        files: z.array(z.string()).default([]),
        /** Canonical name → other names for the same vendor or product ("microsoft": ["msft"]). */
        aliases: z.record(z.string(), z.array(z.string())).default({}),
      })
      .strict()
      .default({ files: [], aliases: {} }),
    matching: z
      .object({
        /** Operator keyword rules: a case-insensitive regex in an advisory's title/summary hits the named item or collection (low confidence). */
        keywords: z
          .array(
            z
              .object({
                pattern: z.string().min(1).refine(isRegExp, { message: 'must be a valid regular expression' }),
                item: z.string().optional(),
                collection: z.string().optional(),
              })
              .strict()
              .refine((r) => r.item !== undefined || r.collection !== undefined, { message: 'names no item and no collection' }),
          )
          .default([]),
      })
      .strict()
      .default({ keywords: [] }),
    subscriptions: z.array(subscriptionSchema).default([]),
    email: z
      .object({
        from: z.string().default('secwatch <secwatch@localhost>'),
        /** `smtp` sends through SECWATCH_SMTP_URL; `outbox` writes .eml files (offline demo). */
        transport: z.enum(['smtp', 'outbox']).default('smtp'),
        outboxDir: z.string().default('outbox'),
        /** DKIM-sign outgoing mail as this domain and selector; the key comes from SECWATCH_DKIM_PRIVATE_KEY or SECWATCH_DKIM_PRIVATE_KEY_FILE. */
        dkim: z.object({ domain: z.string().min(1), selector: z.string().regex(/^[A-Za-z0-9._-]+$/) }).strict().optional(),
      })
      .strict()
      .default({ from: 'secwatch <secwatch@localhost>', transport: 'smtp', outboxDir: 'outbox' }),
    feed: z
      .object({
        title: z.string().default('secwatch'),
        homePageUrl: z.url().optional(),
        feedUrl: z.url().optional(),
        /** File `run --once` writes the JSON Feed to (relative to dataDir). */
        path: z.string().default('feed.json'),
        limit: z.number().int().min(1).max(10_000).default(200),
      })
      .strict()
      .default({ title: 'secwatch', path: 'feed.json', limit: 200 }),
    http: z
      .object({
        host: z.string().default('127.0.0.1'),
        port: z.number().int().min(0).max(65535).default(8080),
        /** Serve the global feed and deadline calendar without the admin token (they name matched items). */
        publicFeeds: z.boolean().default(false),
        /** Base URL people reach the service at (https://secwatch.example.org): confirm, unsubscribe and feed links. */
        publicUrl: z.url().optional(),
        /** Requests per minute per client IP on public routes; `subscribeMax` per hour for POST /subscriptions/email. */
        rateLimit: z
          .object({ max: z.number().int().min(1).default(120), subscribeMax: z.number().int().min(1).default(10) })
          .strict()
          .default({ max: 120, subscribeMax: 10 }),
      })
      .strict()
      .default({ host: '127.0.0.1', port: 8080, publicFeeds: false, rateLimit: { max: 120, subscribeMax: 10 } }),
    network: z
      .object({
        /** Hosts or IPs outbound deliveries may reach even though they are private (SSRF guard). */
        allowPrivateHosts: z.array(z.string()).default([]),
      })
      .strict()
      .default({ allowPrivateHosts: [] }),
  })
  .strict()
  .superRefine((c, ctx) => {
    const seen = new Set<string>();
    c.sources.forEach((s, i) => {
      if (seen.has(s.id)) ctx.addIssue({ code: 'custom', path: ['sources', i, 'id'], message: `duplicate source id "${s.id}"` });
      seen.add(s.id);
    });
    const subs = new Set<string>();
    c.subscriptions.forEach((s, i) => {
      if (subs.has(s.id)) ctx.addIssue({ code: 'custom', path: ['subscriptions', i, 'id'], message: `duplicate subscription id "${s.id}"` });
      subs.add(s.id);
    });
  });

export type ConfigInput = z.input<typeof configSchema>;
export type ParsedConfig = z.output<typeof configSchema>;
export type SourceConfig = z.output<typeof sourceSchema>;
export type SubscriptionConfig = z.output<typeof subscriptionSchema>;
