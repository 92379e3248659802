/**
 * One catalogue of error codes (the fastify idea): stable strings that logs, the CLI and the API
 * report, each with a one-line description. test/errors.test.ts checks they stay documented.
 */
export const ERROR_CODES = {
  CONFIG_INVALID: 'the configuration file does not satisfy the schema',
  CONFIG_UNREADABLE: 'the configuration file cannot be read or is not YAML',
  FETCH_DNS: 'the host name did not resolve',
  FETCH_CONNECT: 'the connection was refused or reset',
  FETCH_TLS: 'the TLS handshake failed',
  FETCH_TIMEOUT: 'the request took longer than the configured timeout',
  FETCH_STATUS: 'the server answered with an error status',
  FETCH_TOO_LARGE: 'the body is larger than the configured maximum',
  FETCH_TOO_MANY_REDIRECTS: 'more redirects than the configured maximum',
  FETCH_BLOCKED: 'the URL is not allowed (scheme or SSRF guard)',
  FETCH_NOT_FOUND: 'the file or resource does not exist',
  FETCH_FAILED: 'the document could not be fetched for another reason',
  PARSE_INVALID: 'the document is not well-formed JSON/XML or not the expected format',
  STORE_FAILED: 'the store rejected an operation',
  TEMPLATE_FAILED: 'an alert template could not be rendered',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Base of every error we throw on purpose; `retryable` tells a runner whether to try again. */
export class AppError extends Error {
  readonly retryable: boolean;
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown; retryable?: boolean },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.retryable = options?.retryable ?? false;
  }
}

export type FetchErrorKind =
  | 'dns'
  | 'connect'
  | 'tls'
  | 'timeout'
  | 'status'
  | 'too-large'
  | 'redirects'
  | 'blocked'
  | 'not-found'
  | 'other';

const FETCH_CODE: Record<FetchErrorKind, ErrorCode> = {
  dns: 'FETCH_DNS',
  connect: 'FETCH_CONNECT',
  tls: 'FETCH_TLS',
  timeout: 'FETCH_TIMEOUT',
  status: 'FETCH_STATUS',
  'too-large': 'FETCH_TOO_LARGE',
  redirects: 'FETCH_TOO_MANY_REDIRECTS',
  blocked: 'FETCH_BLOCKED',
  'not-found': 'FETCH_NOT_FOUND',
  other: 'FETCH_FAILED',
};

/** A document could not be fetched. The message names the URL (credentials stripped) and the cause. */
export class FetchError extends AppError {
  constructor(
    readonly kind: FetchErrorKind,
    readonly url: string,
    message: string,
    options?: { cause?: unknown; status?: number },
  ) {
    const transient = kind === 'dns' || kind === 'connect' || kind === 'timeout' || kind === 'other';
    const retryableStatus = options?.status !== undefined && (options.status >= 500 || options.status === 429);
    super(FETCH_CODE[kind], message, { cause: options?.cause, retryable: transient || retryableStatus });
    this.status = options?.status;
  }
  readonly status: number | undefined;
}

/** A document is not what its format promises. `where` is a JSON pointer, line:col or element if known. */
export class ParseError extends AppError {
  constructor(
    readonly format: string,
    message: string,
    options?: { cause?: unknown; where?: string },
  ) {
    super('PARSE_INVALID', message, { cause: options?.cause });
    this.where = options?.where;
  }
  readonly where: string | undefined;
}

/** The configuration is wrong; `path` is the key path such as `sources[1].url`. */
export class ConfigError extends AppError {
  constructor(
    readonly path: string,
    message: string,
    options?: { cause?: unknown; code?: 'CONFIG_INVALID' | 'CONFIG_UNREADABLE' },
  ) {
    super(options?.code ?? 'CONFIG_INVALID', message, { cause: options?.cause });
  }
}

export class StoreError extends AppError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('STORE_FAILED', message, { cause: options?.cause, retryable: true });
  }
}

/**
 * Short, single-line description of any thrown value, safe for logs: no stack, and no password
 * from a URL's userinfo (a driver's error may repeat the connection URL it was given).
 */
export function describeError(err: unknown): string {
  const text = err instanceof Error ? err.message.replace(/\s+/g, ' ').trim() : String(err);
  return scrubUserinfo(text);
}

/** `scheme://user:password@host` → `scheme://user:[redacted]@host`, anywhere in a text. */
export function scrubUserinfo(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/[^\s:/?#@]*):[^\s/?#@]*@/gi, '$1:[redacted]@');
}
