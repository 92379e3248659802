import { FetchError } from '../errors.js';
import { redactUrl } from '../util/redact.js';

/**
 * Turn whatever undici's request(), a body decoder or the request's deadline threw into a
 * FetchError whose message names the URL and the cause. undici's own errors carry `code` on
 * themselves; fetch-style errors carry it on `cause`: both are read.
 */
export function classifyFetchFailure(err: unknown, url: string, timeoutMs: number): FetchError {
  const safeUrl = redactUrl(url);
  const cause = (err as { cause?: unknown }).cause ?? err;
  const rawCode = (cause as { code?: unknown }).code;
  const code = typeof rawCode === 'string' ? rawCode : '';
  const name = (err as { name?: string }).name ?? '';
  if (name === 'TimeoutError' || code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    return new FetchError('timeout', safeUrl, `${safeUrl}: no answer within ${timeoutMs} ms`, { cause: err });
  }
  if (name === 'AbortError') return new FetchError('other', safeUrl, `${safeUrl}: request aborted`, { cause: err });
  if (code === 'ESSRFBLOCKED') {
    return new FetchError('blocked', safeUrl, `${safeUrl}: ${(cause as Error).message}`, { cause: err });
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new FetchError('dns', safeUrl, `${safeUrl}: host name not found (${code})`, { cause: err });
  if (code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'UND_ERR_SOCKET') {
    return new FetchError('connect', safeUrl, `${safeUrl}: connection failed (${code})`, { cause: err });
  }
  if (code.startsWith('ERR_TLS') || code.includes('CERT') || code.startsWith('ERR_SSL')) {
    return new FetchError('tls', safeUrl, `${safeUrl}: TLS failed (${code})`, { cause: err });
  }
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new FetchError('other', safeUrl, `${safeUrl}: ${detail}${code ? ` (${code})` : ''}`, { cause: err });
}
