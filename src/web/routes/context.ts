// What every page route shares: the signing key, who is asking (admin session, CSRF cookie), and
// how a page is sent (security headers, cookies set on the way out).
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { HttpDeps } from '../../http/server.js';
import { HTML_CONTENT_TYPE } from '../../http/pages.js';
import { parseCookies, serializeCookie } from '../cookies.js';
import { CSRF_COOKIE, CSRF_FIELD, csrfToken, isValidCsrf, newCsrfSecret } from '../csrf.js';
import { parseForm } from '../form.js';
import { WEB } from '../paths.js';
import { renderPage, type PageName } from '../render.js';
import { SESSION_COOKIE, isValidSession } from '../session.js';

/** No inline script or style, nothing from elsewhere, forms only to us, never framed. */
const CSP = "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

export interface WebContext {
  readonly deps: HttpDeps;
  readonly key: Buffer;
}

/** Cookies go out Secure when the page is reached over https (directly or per http.publicUrl). */
export function isSecure(ctx: WebContext, request: FastifyRequest): boolean {
  return request.protocol === 'https' || (ctx.deps.config.http.publicUrl ?? '').startsWith('https:');
}

export function isAdmin(ctx: WebContext, request: FastifyRequest): boolean {
  return Boolean(ctx.deps.config.adminToken) && isValidSession(ctx.key, parseCookies(request.headers.cookie).get(SESSION_COOKIE), ctx.deps.clock.now());
}

/**
 * The CSRF field value for this browser's forms. A browser without the cookie gets one with the
 * reply (`setCookies` collects it); the token is bound to that cookie.
 */
export function csrfFor(ctx: WebContext, request: FastifyRequest, setCookies: string[]): string {
  let secret = parseCookies(request.headers.cookie).get(CSRF_COOKIE);
  if (!secret || !/^[A-Za-z0-9_-]{20,100}$/.test(secret)) {
    secret = newCsrfSecret();
    setCookies.push(serializeCookie(CSRF_COOKIE, secret, { secure: isSecure(ctx, request) }));
  }
  return csrfToken(ctx.key, secret);
}

/** The posted form, or undefined when its CSRF field does not belong to the browser's cookie. */
export function checkedForm(ctx: WebContext, request: FastifyRequest): Map<string, string> | undefined {
  const form = parseForm(request.body);
  return isValidCsrf(ctx.key, parseCookies(request.headers.cookie).get(CSRF_COOKIE), form.get(CSRF_FIELD)) ? form : undefined;
}

export interface PageOptions {
  readonly title: string;
  readonly current?: string;
  readonly status?: number;
  /** Set-Cookie values to send with the page (the CSRF cookie among them when new). */
  readonly cookies?: readonly string[];
}

/** Render and send one page with the security headers every page carries. */
export async function sendPage(ctx: WebContext, request: FastifyRequest, reply: FastifyReply, name: PageName, view: object, options: PageOptions): Promise<void> {
  const cookies = [...(options.cookies ?? [])];
  const csrf = csrfFor(ctx, request, cookies);
  const body = renderPage(name, { title: options.title, current: options.current ?? '', admin: isAdmin(ctx, request), csrf }, view);
  securityHeaders(reply);
  if (cookies.length > 0) void reply.header('set-cookie', cookies);
  await reply.code(options.status ?? 200).type(HTML_CONTENT_TYPE).send(body);
}

/** A short page that says one thing (refusals, errors), with a way back. */
export async function sendMessage(ctx: WebContext, request: FastifyRequest, reply: FastifyReply, status: number, title: string, text: string, back: string = WEB.home): Promise<void> {
  await sendPage(ctx, request, reply, 'message', { text, back }, { title, status });
}

export function securityHeaders(reply: FastifyReply): void {
  void reply
    .header('content-security-policy', CSP)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .header('cache-control', 'no-store');
}

/** After a successful post: back to a page with GET (so a reload never posts twice). */
export async function seeOther(reply: FastifyReply, location: string, cookies: readonly string[] = []): Promise<void> {
  if (cookies.length > 0) void reply.header('set-cookie', [...cookies]);
  await reply.code(303).header('location', location).send();
}

/** Only our own paths: a `next` of "//evil.example" or "https://…" would be an open redirect. */
export function safeNext(next: string | undefined): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : WEB.home;
}
