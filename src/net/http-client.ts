import { readFile, stat } from 'node:fs/promises';
import { STATUS_CODES } from 'node:http';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { Agent, request as undiciRequest, type Dispatcher } from 'undici';
import { FetchError } from '../errors.js';
import { redactUrl, redactUserUrl } from '../util/redact.js';
import { classifyFetchFailure } from './classify.js';
import { Deadline } from './deadline.js';
import { decodedBody } from './response-body.js';
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
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

type Answer = Dispatcher.ResponseData;

export function createHttpClient(options: HttpClientOptions): HttpClient {
  const allow: PrivateAllowList = allowListOf(options.allowPrivateHosts ?? []);
  const plain = new Agent({ connect: { timeout: options.timeoutMs } });
  // User-supplied URLs go through their own Agent whose sockets resolve via the guard: one lookup,
  // checked, and that address is the one connected to (no rebinding between check and connect).
  const guarded = new Agent({ connect: { timeout: options.timeoutMs, lookup: guardedLookup(allow, options.resolve) } });

  /**
   * undici's Dispatcher API (`request()`), not `fetch()`: in the poll benchmark bare `fetch()`
   * took ~3× the CPU of bare `request()` for the same 304 GETs (bench/RESULTS.md, poll). The
   * deadline bounds connect, headers and body.
   */
  async function send(
    url: string,
    /** `headers` complete, user-agent included: built once by the caller, not copied per hop. */
    init: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string },
    opts: { deadline: Deadline; timeoutMs: number; userSupplied?: boolean | undefined },
  ): Promise<{ res: Answer; finalUrl: string }> {
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
      let res: Answer;
      try {
        res = await opts.deadline.race(
          undiciRequest(parsed, {
            method: init.method,
            headers: init.headers,
            body: init.body ?? null,
            signal: opts.deadline,
            dispatcher,
          }),
        );
      } catch (err) {
        throw classifyFetchFailure(err, shown(current), opts.timeoutMs);
      }
      const location = header(res.headers, 'location');
      if (!REDIRECTS.has(res.statusCode) || !location) return { res, finalUrl: current };
      await discard(res);
      if (hop >= options.maxRedirects) {
        throw new FetchError('redirects', shown(url), `${shown(url)}: more than ${options.maxRedirects} redirects`);
      }
      current = new URL(location, current).href;
      if (res.statusCode === 303) init = { method: 'GET', headers: init.headers };
    }
  }

  async function getWithin(url: string, opts: GetOptions, maxBytes: number, timeoutMs: number): Promise<GetResult> {
    const headers: Record<string, string> = { 'user-agent': options.userAgent, accept: opts.accept ?? '*/*', 'accept-encoding': 'gzip, deflate, br' };
    if (opts.validators?.etag) headers['if-none-match'] = opts.validators.etag;
    if (opts.validators?.lastModified) headers['if-modified-since'] = opts.validators.lastModified;
    const attempt: { deadline?: Deadline } = {};
    try {
      // Only getting the answer is tried again, each try with its own deadline; a body cut
      // half-way is reported, not downloaded a second time.
      const { res, finalUrl } = await getOnceMore(() => {
        attempt.deadline?.clear();
        const deadline = (attempt.deadline = new Deadline(timeoutMs, opts.signal));
        return send(url, { method: 'GET', headers }, { deadline, timeoutMs });
      });
      const validators = readValidators(res.headers, opts.validators);
      if (res.statusCode === 304) {
        // No body by definition (RFC 9110 §15.4.5): nothing to wait for, the stream just ends.
        res.body.on('error', ignore).resume();
        return { status: 'not-modified', url: finalUrl, validators };
      }
      if (res.statusCode < 200 || res.statusCode > 299) {
        await discard(res);
        const shown = redactUrl(finalUrl);
        throw new FetchError('status', shown, `${shown}: HTTP ${res.statusCode} ${STATUS_CODES[res.statusCode] ?? ''}`.trim(), {
          status: res.statusCode,
        });
      }
      const declared = Number(header(res.headers, 'content-length') ?? NaN);
      // Content-Length is the *encoded* size; over the limit already means over the limit decoded.
      if (declared > maxBytes) {
        abandon(res);
        throw tooLarge(finalUrl, maxBytes);
      }
      const body = await readCapped(res, maxBytes, finalUrl, timeoutMs);
      const contentType = header(res.headers, 'content-type');
      return { status: 'ok', url: finalUrl, body, validators, ...(contentType ? { contentType } : {}) };
    } finally {
      attempt.deadline?.clear();
    }
  }

  return {
    // Not async: each extra promise layer is a measurable share of a 304 poll (bench/RESULTS.md).
    get(url, opts = {}) {
      const maxBytes = opts.maxBytes ?? options.maxBytes;
      if (url.startsWith('file:')) return getFile(url, maxBytes, opts.validators);
      const timeoutMs = opts.timeoutMs ?? options.timeoutMs;
      return getWithin(url, opts, maxBytes, timeoutMs);
    },

    async post(url, body, opts = {}) {
      const deadline = new Deadline(options.timeoutMs, opts.signal);
      try {
        const { res } = await send(
          url,
          { method: 'POST', headers: { 'user-agent': options.userAgent, 'content-type': 'application/json', ...opts.headers }, body },
          { deadline, timeoutMs: options.timeoutMs, userSupplied: opts.userSupplied },
        );
        const text = await readCapped(res, 8 * 1024, opts.userSupplied ? redactUserUrl(url) : url, options.timeoutMs, true);
        return { status: res.statusCode, headers: headerReader(res.headers), bodyText: new TextDecoder().decode(text) };
      } finally {
        deadline.clear();
      }
    },

    async close() {
      await Promise.all([plain.close(), guarded.close()]);
    },
  };
}

type RawHeaders = Answer['headers'];

/** One header as a string; repeated ones joined the way fetch's Headers.get joins them. */
function header(headers: RawHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

function headerReader(headers: RawHeaders): PostResult['headers'] {
  return { get: (name) => header(headers, name.toLowerCase()) ?? null };
}

/** Drop an answer half read: undici then closes its connection and reports the abort, which is expected here. */
function abandon(res: Answer): void {
  res.body.on('error', ignore);
  res.body.destroy();
}

/** Read what is left of an answer we do not want (a 304, a redirect) so its socket can be reused. */
async function discard(res: Answer): Promise<void> {
  await res.body.dump().catch(ignore);
}

function ignore(): void {}

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

function readValidators(headers: RawHeaders, previous: Validators | undefined): Validators {
  const etag = header(headers, 'etag') ?? previous?.etag;
  const lastModified = header(headers, 'last-modified') ?? previous?.lastModified;
  return { ...(etag ? { etag } : {}), ...(lastModified ? { lastModified } : {}) };
}

function tooLarge(url: string, maxBytes: number): FetchError {
  return new FetchError('too-large', redactUrl(url), `${redactUrl(url)}: body is larger than the ${maxBytes}-byte limit`);
}

/**
 * Read at most `maxBytes` decoded bytes as they stream in; over the limit throws, or truncates when
 * `truncate`. Stopping early destroys the body, which closes the connection: the server stops too.
 */
async function readCapped(res: Answer, maxBytes: number, url: string, timeoutMs: number, truncate = false): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    const decoded: Readable = decodedBody(res.body, header(res.headers, 'content-encoding'));
    for await (const chunk of decoded as AsyncIterable<Buffer>) {
      total += chunk.byteLength;
      if (total > maxBytes) {
        if (truncate) {
          chunks.push(chunk.subarray(0, chunk.byteLength - (total - maxBytes)));
          break;
        }
        throw tooLarge(url, maxBytes);
      }
      chunks.push(chunk);
    }
  } catch (err) {
    if (err instanceof FetchError) throw err;
    throw classifyFetchFailure(err, url, timeoutMs);
  } finally {
    if (!res.body.readableEnded) abandon(res);
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
