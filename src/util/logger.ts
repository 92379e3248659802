import { pino, type Logger as PinoLogger } from 'pino';

/** Structured logger (pino); one line per event, key/value fields, never a secret. */
export type Logger = Pick<PinoLogger, 'info' | 'warn' | 'error' | 'debug' | 'child'>;

/** Logs go to stderr so stdout stays the command's output (JSON lines, the feed, the summary). */
export function createLogger(level: string = process.env.SECWATCH_LOG_LEVEL ?? 'warn'): Logger {
  return pino({ level, redact: { paths: ['*.secret', '*.password', '*.authorization', '*.smtpUrl'], censor: '[redacted]' } }, pino.destination(2));
}

export const silentLogger: Logger = pino({ level: 'silent' });
