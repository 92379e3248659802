// Admin login and logout: the API token is entered once; the browser keeps a signed session cookie.
import type { FastifyPluginCallback } from 'fastify';
import { serializeCookie } from '../cookies.js';
import { parseForm } from '../form.js';
import { WEB } from '../paths.js';
import { SESSION_COOKIE, SESSION_SECONDS, isAdminToken, newSession } from '../session.js';
import { isSecure, safeNext, seeOther, sendPage, type WebContext } from './context.js';

export function loginRoutes(ctx: WebContext): FastifyPluginCallback {
  const configured = ctx.deps.config.adminToken;
  return (app, _options, done) => {
    app.get<{ Querystring: { next?: string } }>(WEB.login, async (request, reply) => {
      const problem = configured ? '' : 'SECWATCH_ADMIN_TOKEN is not set: the admin pages are disabled. Subscribers can still use the links in their emails.';
      await sendPage(ctx, request, reply, 'login', { action: WEB.login, next: safeNext(request.query.next), problem }, { title: 'Log in' });
    });

    app.post(WEB.login, async (request, reply) => {
      const form = parseForm(request.body);
      if (!isAdminToken(configured, form.get('token') ?? '')) {
        // Never echo what was typed: it may be a near-miss of the real token.
        return sendPage(ctx, request, reply, 'login', { action: WEB.login, next: safeNext(form.get('next')), problem: 'That is not the admin token.' }, { title: 'Log in', status: 401 });
      }
      const cookie = serializeCookie(SESSION_COOKIE, newSession(ctx.key, ctx.deps.clock.now()), { secure: isSecure(ctx, request), maxAge: SESSION_SECONDS });
      await seeOther(reply, safeNext(form.get('next')), [cookie]);
    });

    app.post(WEB.logout, async (request, reply) => {
      await seeOther(reply, WEB.login, [serializeCookie(SESSION_COOKIE, '', { secure: isSecure(ctx, request), maxAge: 0 })]);
    });
    done();
  };
}
