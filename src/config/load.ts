import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { ConfigError, describeError } from '../errors.js';
import { resolveDkim, type DkimKey } from './dkim.js';
import { configSchema, type ParsedConfig, type SourceConfig, type SubscriptionConfig } from './schema.js';

export type Env = Readonly<Record<string, string | undefined>>;

/** A subscription with its secrets resolved from the environment. */
export type ResolvedSubscription =
  | (Extract<SubscriptionConfig, { channel: 'webhook' }> & {
      readonly targetUrl: string;
      /** The first (newest) secret; `secrets` holds all of them during a rotation. */
      readonly secret: string;
      readonly secrets: readonly string[];
    })
  | (Extract<SubscriptionConfig, { channel: 'teams' }> & { readonly targetUrl: string })
  | Extract<SubscriptionConfig, { channel: 'email' }>
  | (Extract<SubscriptionConfig, { channel: 'slack' }> & { readonly targetUrl: string });

/** The validated configuration with paths made absolute and secrets taken from the environment. */
export interface Config extends Omit<ParsedConfig, 'subscriptions'> {
  readonly file: string | undefined;
  readonly subscriptions: readonly ResolvedSubscription[];
  readonly paths: {
    readonly dataDir: string;
    readonly outboxDir: string;
    readonly feedFile: string;
    readonly inventoryFiles: readonly string[];
  };
  readonly storeUrl: string;
  /** SMTP connection URL (may hold a password): from SECWATCH_SMTP_URL only. */
  readonly smtpUrl: string | undefined;
  /** DKIM signing key when `email.dkim` is set (private key from the environment only). */
  readonly dkim: DkimKey | undefined;
  /** Bearer token for the HTTP API's management routes: from SECWATCH_ADMIN_TOKEN only. */
  readonly adminToken: string | undefined;
  /** HMAC key of the signed acknowledgement links in alerts (src/remind/ack-link.ts): from SECWATCH_LINK_SECRET only. */
  readonly linkSecret: string | undefined;
  /** Redis for the BullMQ runner (may hold a password): from REDIS_URL (or SECWATCH_REDIS_URL) only. */
  readonly redisUrl: string | undefined;
  /** The runner in force: `runner.kind`, else bullmq when a Redis URL is set, else inline. */
  readonly runnerKind: 'inline' | 'bullmq';
}

/** Read, validate and resolve a config file. Throws ConfigError naming the key path and the problem. */
export function loadConfigFile(file: string, env: Env = process.env): Config {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError('', `${file}: cannot read config: ${describeError(err)}`, { cause: err, code: 'CONFIG_UNREADABLE' });
  }
  let raw: unknown;
  try {
    raw = parseYaml(text, { prettyErrors: true });
  } catch (err) {
    throw new ConfigError('', `${file}: not valid YAML: ${describeError(err)}`, { cause: err, code: 'CONFIG_UNREADABLE' });
  }
  return resolveConfig(raw ?? {}, { file, env });
}

/** Validate an already-parsed config object; relative paths resolve against `baseDir` (the file's folder). */
export function resolveConfig(raw: unknown, opts: { file?: string; env?: Env; baseDir?: string } = {}): Config {
  const env = opts.env ?? process.env;
  const label = opts.file ?? 'config';
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const path = formatPath(issue.path);
    const more = result.error.issues.length > 1 ? ` (and ${result.error.issues.length - 1} more problem(s))` : '';
    throw new ConfigError(path, `${label}: ${path || '(top level)'}: ${issue.message}${more}`);
  }
  const parsed = result.data;
  const baseDir = opts.baseDir ?? (opts.file ? dirname(resolve(opts.file)) : process.cwd());
  const abs = (p: string, from = baseDir): string => (isAbsolute(p) ? p : resolve(from, p));
  const dataDir = abs(parsed.dataDir);

  const sources: SourceConfig[] = parsed.sources.map((s) => ({ ...s, url: resolveFileUrl(s.url, baseDir) }));
  const subscriptions = parsed.subscriptions.map((s, i) => resolveSubscription(s, i, env, label));
  const storeUrl = env.SECWATCH_DATABASE_URL ?? parsed.store.url ?? `sqlite:${resolve(dataDir, 'secwatch.db')}`;

  return Object.freeze({
    ...parsed,
    file: opts.file,
    sources,
    subscriptions,
    storeUrl: storeUrl.startsWith('sqlite:') && storeUrl !== 'sqlite::memory:' ? `sqlite:${abs(storeUrl.slice('sqlite:'.length), dataDir)}` : storeUrl,
    smtpUrl: env.SECWATCH_SMTP_URL,
    dkim: resolveDkim(parsed.email.dkim, env, label),
    adminToken: env.SECWATCH_ADMIN_TOKEN,
    linkSecret: linkSecret(env, label),
    redisUrl: env.SECWATCH_REDIS_URL ?? env.REDIS_URL,
    runnerKind: parsed.runner.kind ?? (env.SECWATCH_REDIS_URL ?? env.REDIS_URL ? 'bullmq' : 'inline'),
    paths: {
      dataDir,
      outboxDir: abs(parsed.email.outboxDir, dataDir),
      feedFile: abs(parsed.feed.path, dataDir),
      inventoryFiles: parsed.inventory.files.map((f) => abs(f)),
    },
  });
}

function resolveSubscription(s: SubscriptionConfig, index: number, env: Env, label: string): ResolvedSubscription {
  if (s.channel === 'email') return s;
  const at = `subscriptions[${index}]`;
  if (s.channel === 'slack' || s.channel === 'teams') {
    const targetUrl = env[s.urlEnv];
    if (!targetUrl) throw new ConfigError(`${at}.urlEnv`, `${label}: ${at}.urlEnv: environment variable ${s.urlEnv} is not set`);
    return { ...s, targetUrl };
  }
  // Several secrets (comma or space separated) during a rotation: each one signs every message.
  const secrets = (env[s.secretEnv] ?? '').split(/[\s,]+/).filter((x) => x.length > 0);
  const secret = secrets[0];
  if (!secret) throw new ConfigError(`${at}.secretEnv`, `${label}: ${at}.secretEnv: environment variable ${s.secretEnv} is not set`);
  if (!secrets.every((x) => /^whsec_[A-Za-z0-9+/=]+$/.test(x))) {
    throw new ConfigError(`${at}.secretEnv`, `${label}: ${at}.secretEnv: ${s.secretEnv} must hold whsec_<base64> secrets (comma or space separated)`);
  }
  const targetUrl = s.url ?? env[s.urlEnv ?? ''];
  if (!targetUrl) throw new ConfigError(`${at}.urlEnv`, `${label}: ${at}.urlEnv: environment variable ${s.urlEnv ?? ''} is not set`);
  return { ...s, targetUrl, secret, secrets };
}

/** SECWATCH_LINK_SECRET, when set, must be long enough to be a key (32+ characters, e.g. `openssl rand -hex 32`). */
function linkSecret(env: Env, label: string): string | undefined {
  const secret = env.SECWATCH_LINK_SECRET;
  if (secret === undefined || secret === '') return undefined;
  if (secret.length < 32) throw new ConfigError('SECWATCH_LINK_SECRET', `${label}: SECWATCH_LINK_SECRET is too short: give at least 32 characters (e.g. openssl rand -hex 32)`);
  return secret;
}

/** `file:samples/kev.json` (relative) → an absolute file:// URL against the config's folder. */
function resolveFileUrl(url: string, baseDir: string): string {
  if (!/^file:/i.test(url) || url.startsWith('file://')) return url;
  return pathToFileURL(resolve(baseDir, url.slice('file:'.length))).href;
}

function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
    .join('');
}
