import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance } from 'fastify';
import { describeError } from '../errors.js';
import type { Deps } from '../pipeline/deps.js';
import { adminGuard } from './auth.js';
import { ackLinkRoutes } from './routes/ack-links.js';
import type { Metrics } from './metrics.js';
import { feedRoutes } from './routes/feeds.js';
import { managementRoutes } from './routes/management.js';
import { personalFeedRoutes } from './routes/personal-feeds.js';
import { inventoryRoutes } from './routes/inventory.js';
import { healthRoutes } from './routes/public.js';
import { subscribeRoutes } from './routes/subscribe.js';
import { subscriptionAdminRoutes } from './routes/subscriptions-admin.js';
import { webRoutes } from '../web/index.js';

export interface HttpDeps extends Deps {
  readonly metrics: Metrics;
}

/** A route as registered, with whether it needs the admin token; tests enumerate these. */
export interface RouteInfo {
  readonly method: string;
  readonly url: string;
  readonly admin: boolean;
}

/** RFC 8058 one-click bodies and HTML forms: kept as text (the token in the URL is what counts). */
const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data'];

/**
 * The HTTP service, built but not listening (the caller decides where). Health, OpenAPI,
 * subscribing and personal feeds are public (the last two rate-limited; a personal feed's token
 * is its credential); the global feeds only with `http.publicFeeds`; everything else needs the
 * admin token.
 */
export function buildServer(deps: HttpDeps): { server: FastifyInstance; routes: readonly RouteInfo[] } {
  const server = Fastify({ logger: false, trustProxy: false });
  const routes: RouteInfo[] = [];
  const guard = adminGuard(deps.config.adminToken);

  const track = (admin: boolean) => (app: FastifyInstance) =>
    app.addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) if (method !== 'HEAD') routes.push({ method, url: route.url, admin });
      // The OpenAPI document says which routes need the token (swagger reads the schema later).
      if (admin) route.schema = { ...route.schema, security: [{ adminToken: [] }] };
    });

  server.addContentTypeParser(FORM_TYPES, { parseAs: 'string', bodyLimit: 64 * 1024 }, (_request, body, done) => done(null, body));

  void server.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'secwatch', version: '0.1.0', description: 'Security advisories rated, matched against the inventory, with apply-by dates (README "Service mode")' },
      components: { securitySchemes: { adminToken: { type: 'http', scheme: 'bearer', description: 'SECWATCH_ADMIN_TOKEN' } } },
    },
    // HEAD routes fastify adds for every GET are not part of the API's contract.
    exposeHeadRoutes: false,
  });

  void server.register(async (open) => {
    track(false)(open);
    await open.register(healthRoutes(deps));
    open.get('/openapi.json', { schema: { summary: 'This API as an OpenAPI 3.0 document', tags: ['operations'] } }, () => Promise.resolve(server.swagger()));
    if (deps.config.http.publicFeeds) await open.register(feedRoutes(deps));
    await open.register(async (limited) => {
      await limited.register(rateLimit, { max: deps.config.http.rateLimit.max, timeWindow: '1 minute' });
      await limited.register(subscribeRoutes(deps));
      await limited.register(personalFeedRoutes(deps));
      await limited.register(ackLinkRoutes(deps));
    });
  });
  void server.register(async (closed) => {
    track(true)(closed);
    closed.addHook('onRequest', guard);
    if (!deps.config.http.publicFeeds) await closed.register(feedRoutes(deps));
    await closed.register(managementRoutes(deps));
    await closed.register(subscriptionAdminRoutes(deps));
    await closed.register(inventoryRoutes(deps));
  });

  // The web pages (README "Web page"): / and /ui/…, outside the API's route table and OpenAPI document.
  void server.register(webRoutes(deps));

  server.setErrorHandler(async (err: { statusCode?: number; message: string }, request, reply) => {
    const status = err.statusCode && err.statusCode < 500 ? err.statusCode : 500;
    // The route pattern, not request.url: personal feed, confirm and unsubscribe paths carry tokens.
    if (status >= 500) deps.log.error({ route: `${request.method} ${request.routeOptions.url ?? '(no route)'}`, err: describeError(err) }, 'request failed');
    const error = status === 429 ? 'rate-limited' : status >= 500 ? 'internal' : 'bad-request';
    await reply.code(status).send({ error, message: status >= 500 ? 'internal error' : err.message });
  });
  return { server, routes };
}
