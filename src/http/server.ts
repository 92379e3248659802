import Fastify, { type FastifyInstance } from 'fastify';
import { describeError } from '../errors.js';
import type { Deps } from '../pipeline/deps.js';
import { adminGuard } from './auth.js';
import type { Metrics } from './metrics.js';
import { feedRoutes } from './routes/feeds.js';
import { managementRoutes } from './routes/management.js';
import { healthRoutes } from './routes/public.js';

export interface HttpDeps extends Deps {
  readonly metrics: Metrics;
}

/** A route as registered, with whether it needs the admin token; tests enumerate these. */
export interface RouteInfo {
  readonly method: string;
  readonly url: string;
  readonly admin: boolean;
}

/**
 * The HTTP service, built but not listening (the caller decides where). Health routes are public;
 * feeds are public only with `http.publicFeeds`; everything else needs the admin token.
 */
export function buildServer(deps: HttpDeps): { server: FastifyInstance; routes: readonly RouteInfo[] } {
  const server = Fastify({ logger: false, trustProxy: false });
  const routes: RouteInfo[] = [];
  const guard = adminGuard(deps.config.adminToken);

  const track = (admin: boolean) => (app: FastifyInstance) =>
    app.addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) if (method !== 'HEAD') routes.push({ method, url: route.url, admin });
    });

  void server.register(async (open) => {
    track(false)(open);
    await open.register(healthRoutes(deps));
    if (deps.config.http.publicFeeds) await open.register(feedRoutes(deps));
  });
  void server.register(async (closed) => {
    track(true)(closed);
    closed.addHook('onRequest', guard);
    if (!deps.config.http.publicFeeds) await closed.register(feedRoutes(deps));
    await closed.register(managementRoutes(deps));
  });

  server.setErrorHandler(async (err: { statusCode?: number; message: string }, request, reply) => {
    const status = err.statusCode && err.statusCode < 500 ? err.statusCode : 500;
    if (status >= 500) deps.log.error({ url: request.url, err: describeError(err) }, 'request failed');
    await reply.code(status).send({ error: status >= 500 ? 'internal' : 'bad-request', message: status >= 500 ? 'internal error' : err.message });
  });
  return { server, routes };
}
