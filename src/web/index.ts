// The web pages of `secwatch serve` (README "Web page"): registered beside the JSON API, kept out
// of its OpenAPI document and route table. Every POST needs the CSRF field; every page but the
// login, the subscriber's own page and the assets needs the admin's login cookie.
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { describeError } from '../errors.js';
import type { HttpDeps } from '../http/server.js';
import { WEB } from './paths.js';
import { adminActionRoutes } from './routes/admin-actions.js';
import { adminPageRoutes } from './routes/admin-pages.js';
import { assetRoutes } from './routes/assets.js';
import { checkedForm, isAdmin, sendMessage, type WebContext } from './routes/context.js';
import { loginRoutes } from './routes/login.js';
import { subscriberRoutes } from './routes/subscriber.js';
import { webSigningKey } from './signing.js';

export function webRoutes(deps: HttpDeps): FastifyPluginAsync {
  const ctx: WebContext = { deps, key: webSigningKey(deps.config.adminToken) };
  return async (web: FastifyInstance) => {
    // Pages are not API: out of openapi.json.
    web.addHook('onRoute', (route) => {
      route.schema = { ...(route.schema ?? {}), hide: true };
    });
    web.addHook('preHandler', async (request, reply) => {
      if (request.method !== 'POST') return;
      if (!checkedForm(ctx, request)) {
        await sendMessage(ctx, request, reply, 403, 'Refused', 'This form has expired or did not come from this site (missing or wrong CSRF token). Reload the page and try again.');
      }
    });
    web.setErrorHandler(async (err: { statusCode?: number; message: string }, request, reply) => {
      const status = err.statusCode && err.statusCode < 500 ? err.statusCode : 500;
      // The route pattern, not request.url: a subscriber's page path carries their token.
      if (status >= 500) deps.log.error({ route: `${request.method} ${request.routeOptions.url ?? '(no route)'}`, err: describeError(err) }, 'page failed');
      const text = status === 429 ? 'Too many requests: wait a minute and try again.' : status >= 500 ? 'Something went wrong on our side; it is logged.' : err.message;
      await sendMessage(ctx, request, reply, status, status >= 500 ? 'Error' : 'Bad request', text);
    });

    await web.register(assetRoutes());
    await web.register(async (limited) => {
      // Token guessing (admin or subscriber) is slowed like the personal feeds.
      await limited.register(rateLimit, { max: deps.config.http.rateLimit.max, timeWindow: '1 minute' });
      await limited.register(loginRoutes(ctx));
      await limited.register(subscriberRoutes(ctx));
    });
    await web.register(async (admin) => {
      admin.addHook('preHandler', async (request, reply) => {
        if (isAdmin(ctx, request)) return;
        if (request.method === 'GET') return reply.code(303).header('location', `${WEB.login}?next=${encodeURIComponent(request.url)}`).send();
        await sendMessage(ctx, request, reply, 401, 'Log in first', 'Your login has expired: log in again.', WEB.login);
      });
      await admin.register(adminPageRoutes(ctx));
      await admin.register(adminActionRoutes(ctx));
    });
  };
}
