import { readFile, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Agent, fetch as undiciFetch, type Dispatcher, type Response } from 'undici';
import { FetchError } from '../errors.js';
import { redactUrl, redactUserUrl } from '../util/redact.js';
import { classifyFetchFailure } from './classify.js';
import { allowListOf, checkUrlAllowed, guardedLookup, type PrivateAllowList, type Resolver } from './ssrf-guard.js';

/** Validators remembered per source so the next poll can ask "changed since?". */
export interface Validators {
  readonly etag?: string;
  readonly lastModified?: string;
}

export type GetResult =
  | { readonly status: 'ok'; readonly url: string; readonly body: Uint8Array; readonly contentType?: string; readonly validators: Validators }
  | { readonly status: 'not-modified'; readonly url: string; readonly validators: Validators };

export interface GetOptions {
  readonly validators?: Validators;
  readonly maxBytes?: number;
  readonly accept?: string;
  readonly signal?: AbortSignal;
  /** Overrides the client's timeout for this request (a source's own `timeout`); covers the body too. */
  readonly timeoutMs?: number;
}

export interface PostResult {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  /** The first few kB of the answer, for error messages. */
  readonly bodyText: string;
}

export interface PostOptions {
  readonly headers?: Record<string, string>;
  readonly signal?: AbortSignal;
  /** The URL came from a user (webhook target): apply the SSRF guard. */
  readonly userSupplied?: boolean;
}

/** The one HTTP client every source and channel shares (DESIGN.md "Fetching"). */
export interface HttpClient {
  get(url: string, options?: GetOptions): Promise<GetResult>;
  post(url: string, body: string, options?: PostOptions): Promise<PostResult>;
  close(): Promise<void>;
}

export interface HttpClientOptions {
  readonly timeoutMs: number;
  readonly maxBytes: number;
  readonly maxRedirects: number;
  readonly userAgent: string;
  readonly allowPrivateHosts?: readonly string[];
  /** The DNS resolver the SSRF guard asks for user-supplied URLs; tests inject one to fake a name. */
  readonly resolve?: Resolver;
  /** Injected for tests that need to observe requests; defaults to undici's fetch. */
  readonly fetch?: typeof undiciFetch;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export function createHttpClient(options: HttpClientOptions): HttpClient {
  const doFetch = options.fetch ?? undiciFetch;
  const allow: PrivateAllowList = allowListOf(options.allowPrivateHosts ?? []);
  const plain = new Agent({ connect: { timeout: options.timeoutMs } });
  // User-supplied URLs go through their own Agent whose sockets resolve via the guard: one lookup,
  // checked, and that address is the one connected to (no rebinding between check and connect).
  const guarded = new Agent({ connect: { timeout: options.timeoutMs, lookup: guardedLookup(allow, options.resolve) } });

  function signalFor(outer: AbortSignal | undefined, timeoutMs: number): AbortSignal {
    const timeout = AbortSignal.timeout(timeoutMs);
    return outer ? AbortSignal.any([outer, timeout]) : timeout;
  }

  async function request(
    url: string,
    init: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string },
    opts: { signal?: AbortSignal | undefined; userSupplied?: boolean | undefined; timeoutMs?: number | undefined },
  ): Promise<{ res: Response; finalUrl: string; signal: AbortSignal }> {
    const timeoutMs = opts.timeoutMs ?? options.timeoutMs;
    const signal = signalFor(opts.signal, timeoutMs);
    const dispatcher: Dispatcher = opts.userSupplied ? guarded : plain;
    // A user-supplied URL's path is often its credential (Slack, Teams): errors show the origin only.
    const shown = (u: string): string => (opts.userSupplied ? redactUserUrl(u) : redactUrl(u));
    let current = url;
    // Redirects are followed by hand: bounded, and each hop is checked by the guard again.
    for (let hop = 0; ; hop++) {
      let parsed: URL;
      try {
        parsed = new URL(current);
      } catch (err) {
        throw new FetchError('other', shown(url), `${shown(url)}: not a valid URL`, { cause: err });
      }
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
        throw new FetchError('blocked', shown(url), `${shown(url)}: ${hop === 0 ? 'a' : 'redirect to a'} ${parsed.protocol} URL refused`);
      }
      if (opts.userSupplied) {
        const refusal = checkUrlAllowed(parsed, allow);
        if (refusal) throw new FetchError('blocked', shown(current), `${shown(current)}: ${hop === 0 ? '' : 'redirect refused: '}${refusal}`);
      }
      let res: Response;
      try {
        res = await doFetch(current, {
          method: init.method,
          headers: { 'user-agent': options.userAgent, ...init.headers },
          body: init.body ?? null,
          redirect: 'manual',
          signal,
          dispatcher,
        });
      } catch (err) {
        throw classifyFetchFailure(err, shown(current), timeoutMs);
      }
      const location = res.headers.get('location');
      if (!REDIRECTS.has(res.status) || !location) return { res, finalUrl: current, signal };
      await res.body?.cancel();
      if (hop >= options.maxRedirects) {
        throw new FetchError('redirects', shown(url), `${shown(url)}: more than ${options.maxRedirects} redirects`);
      }
      current = new URL(location, current).href;
      if (res.status === 303) init = { method: 'GET', headers: init.headers };
    }
  }

  return {
    async get(url, opts = {}) {
      const maxBytes = opts.maxBytes ?? options.maxBytes;
      if (url.startsWith('file:')) return getFile(url, maxBytes, opts.validators);
      const headers: Record<string, string> = { accept: opts.accept ?? '*/*', 'accept-encoding': 'gzip, deflate, br' };
      if (opts.validators?.etag) headers['if-none-match'] = opts.validators.etag;
      if (opts.validators?.lastModified) headers['if-modified-since'] = opts.validators.lastModified;
      const { res, finalUrl } = await getOnceMore(() => request(url, { method: 'GET', headers }, { signal: opts.signal, timeoutMs: opts.timeoutMs }));
      const validators = readValidators(res.headers, opts.validators);
      if (res.status === 304) {
        await res.body?.cancel();
        return { status: 'not-modified', url: finalUrl, validators };
      }
      if (!res.ok) {
        await res.body?.cancel();
        throw new FetchError('status', redactUrl(finalUrl), `${redactUrl(finalUrl)}: HTTP ${res.status} ${res.statusText}`.trim(), {
          status: res.status,
        });
      }
      const declared = Number(res.headers.get('content-length') ?? NaN);
      // Content-Length is the *encoded* size; over the limit already means over the limit decoded.
      if (declared > maxBytes) {
        await res.body?.cancel();
        throw tooLarge(finalUrl, maxBytes);
      }
      const body = await readCapped(res, maxBytes, finalUrl, opts.timeoutMs ?? options.timeoutMs);
      const contentType = res.headers.get('content-type') ?? undefined;
      return { status: 'ok', url: finalUrl, body, validators, ...(contentType ? { contentType } : {}) };
    },

    async post(url, body, opts = {}) {
      const { res } = await request(
        url,
        { method: 'POST', headers: { 'content-type': 'application/json', ...opts.headers }, body },
        { signal: opts.signal, userSupplied: opts.userSupplied },
      );
      const text = await readCapped(res, 8 * 1024, opts.userSupplied ? redactUserUrl(url) : url, options.timeoutMs, true);
      return { status: res.status, headers: res.headers, bodyText: new TextDecoder().decode(text) };
    },

    async close() {
      await Promise.all([plain.close(), guarded.close()]);
    },
  };
}

/**
 * A GET is idempotent: when the connection drops before an answer (typically a kept-alive socket
 * the server closed just as we reused it), try once more on a fresh one before reporting it.
 */
async function getOnceMore<T>(attempt: () => Promise<T>): Promise<T> {
  try {
    return await attempt();
  } catch (err) {
    if (err instanceof FetchError && err.kind === 'connect') return attempt();
    throw err;
  }
}

function readValidators(headers: { get(name: string): string | null }, previous: Validators | undefined): Validators {
  const etag = headers.get('etag') ?? previous?.etag;
  const lastModified = headers.get('last-modified') ?? previous?.lastModified;
  return { ...(etag ? { etag } : {}), ...(lastModified ? { lastModified } : {}) };
}

function tooLarge(url: string, maxBytes: number): FetchError {
  return new FetchError('too-large', redactUrl(url), `${redactUrl(url)}: body is larger than the ${maxBytes}-byte limit`);
}

/** Read at most `maxBytes` (decoded); over the limit throws, or truncates when `truncate`. */
async function readCapped(res: Response, maxBytes: number, url: string, timeoutMs: number, truncate = false): Promise<Uint8Array> {
  if (!res.body) return new Uint8Array();
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const next = (await reader.read()) as { done: true; value?: undefined } | { done: false; value: Uint8Array };
      if (next.done) break;
      const value = next.value;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel();
        if (truncate) {
          chunks.push(value.subarray(0, value.byteLength - (total - maxBytes)));
          break;
        }
        throw tooLarge(url, maxBytes);
      }
      chunks.push(value);
    }
  } catch (err) {
    if (err instanceof FetchError) throw err;
    throw classifyFetchFailure(err, url, timeoutMs);
  }
  return Buffer.concat(chunks);
}

/** file:// sources (operator-configured only): size-capped, with mtime/size validators like HTTP. */
async function getFile(url: string, maxBytes: number, previous: Validators | undefined): Promise<GetResult> {
  let path: string;
  try {
    path = fileURLToPath(url);
  } catch (err) {
    throw new FetchError('other', url, `${url}: not a usable file URL`, { cause: err });
  }
  let info;
  try {
    info = await stat(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new FetchError(code === 'ENOENT' ? 'not-found' : 'other', url, `${path}: cannot read (${code ?? 'error'})`, { cause: err });
  }
  if (!info.isFile()) throw new FetchError('other', url, `${path}: not a regular file`);
  if (info.size > maxBytes) throw tooLarge(path, maxBytes);
  const validators: Validators = { etag: `"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`, lastModified: info.mtime.toUTCString() };
  if (previous?.etag === validators.etag) return { status: 'not-modified', url, validators };
  try {
    return { status: 'ok', url, body: await readFile(path), validators };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new FetchError('other', url, `${path}: cannot read (${code ?? 'error'})`, { cause: err });
  }
}
