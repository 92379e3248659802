import type { FastifyPluginCallback } from 'fastify';
import type { HttpDeps } from '../server.js';

/** Liveness and readiness: no token, so orchestrators can probe them. */
export function healthRoutes(deps: HttpDeps): FastifyPluginCallback {
  return (app, _options, done) => {
    app.get('/healthz', { schema: { summary: 'Liveness', tags: ['operations'] } }, () => Promise.resolve({ status: 'ok' }));

    app.get('/readyz', { schema: { summary: 'Readiness: store reachable, last poll per source and its age', tags: ['operations'] } }, async (_request, reply) => {
      const now = deps.clock.now().getTime();
      try {
        const sources = await Promise.all(
          deps.sources.map(async (s) => {
            const state = await deps.store.getSourceState(s.id);
            const last = state?.lastSuccessAt ? Date.parse(state.lastSuccessAt) : undefined;
            return {
              id: s.id,
              enabled: s.config.enabled,
              lastPollAt: state?.lastPollAt ?? null,
              lastSuccessAt: state?.lastSuccessAt ?? null,
              lastSuccessAgeSeconds: last === undefined ? null : Math.round((now - last) / 1000),
              failing: Boolean(state?.lastError),
            };
          }),
        );
        return { status: 'ready', store: 'ok', sources };
      } catch {
        return reply.code(503).send({ status: 'not-ready', store: 'unreachable' });
      }
    });
    done();
  };
}
