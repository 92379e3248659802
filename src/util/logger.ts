import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';
import { redactUrl } from './redact.js';

/** Structured logger (pino); one line per event, key/value fields, never a secret. */
export type Logger = Pick<PinoLogger, 'info' | 'warn' | 'error' | 'debug' | 'child'>;

/**
 * Fields that hold credentials whatever logs them, at the top level or one object down (pino's
 * redact paths). The values we log on purpose are redacted where they are built (URLs without
 * query or userinfo, webhook targets as origins); this is the net under that.
 */
const SECRET_KEYS = [
  'secret',
  'secrets',
  'password',
  'authorization',
  'token',
  'adminToken',
  'linkSecret',
  'webhookSecret',
  'smtpUrl',
  'redisUrl',
  'storeUrl',
  'privateKey',
  'dkim',
  'target',
];
export const REDACT_PATHS: readonly string[] = [...SECRET_KEYS, ...SECRET_KEYS.map((k) => `*.${k}`), '*.headers.authorization', 'headers.authorization'];

export interface LoggerOptions {
  /** Where lines go; stderr by default. Tests pass a stream to read every line back. */
  readonly destination?: DestinationStream;
}

/** Logs go to stderr so stdout stays the command's output (JSON lines, the feed, the summary). */
export function createLogger(level: string = process.env.SECWATCH_LOG_LEVEL ?? 'warn', options: LoggerOptions = {}): Logger {
  return pino(
    {
      level,
      redact: { paths: [...REDACT_PATHS], censor: '[redacted]' },
      // A `url` field is printed without userinfo, query or fragment (where tokens live).
      serializers: { url: (u: unknown) => (typeof u === 'string' ? redactUrl(u) : u) },
    },
    options.destination ?? pino.destination(2),
  );
}

export const silentLogger: Logger = pino({ level: 'silent' });
