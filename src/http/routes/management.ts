import type { FastifyPluginCallback } from 'fastify';
import type { HttpDeps } from '../server.js';

/** Read API for operators and tools; every route here sits behind the admin token. */
export function managementRoutes(deps: HttpDeps): FastifyPluginCallback {
  return (app, _options, done) => {
    app.get<{ Querystring: { limit: number; source?: string } }>(
      '/advisories',
      {
        schema: {
          querystring: {
            type: 'object',
            properties: { limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 }, source: { type: 'string' } },
            additionalProperties: false,
          },
        },
      },
      async (request) => {
        const stored = await deps.store.listAdvisories({ limit: request.query.limit, ...(request.query.source ? { sourceId: request.query.source } : {}) });
        return { items: stored.map((s) => ({ ...s.advisory, firstSeen: s.firstSeen, updatedAt: s.updatedAt })) };
      },
    );

    app.get<{ Params: { id: string } }>('/advisories/:id', async (request, reply) => {
      const stored = await deps.store.getAdvisory(request.params.id);
      if (!stored) return reply.code(404).send({ error: 'not-found', message: `no advisory "${request.params.id}"` });
      const [revisions, matches] = await Promise.all([deps.store.listRevisions(stored.advisory.id), deps.store.listMatches([stored.advisory.id])]);
      return { advisory: stored.advisory, firstSeen: stored.firstSeen, updatedAt: stored.updatedAt, revisions, matches };
    });

    app.get('/sources', async () => ({
      sources: await Promise.all(
        deps.sources.map(async (s) => {
          const state = await deps.store.getSourceState(s.id);
          return {
            id: s.id,
            kind: s.kind,
            enabled: s.config.enabled,
            intervalSeconds: s.config.interval / 1000,
            lastPollAt: state?.lastPollAt ?? null,
            lastSuccessAt: state?.lastSuccessAt ?? null,
            lastError: state?.lastError ?? null,
          };
        }),
      ),
    }));

    app.get('/metrics', async (_request, reply) => {
      const body = await deps.metrics.registry.metrics();
      return reply.type(deps.metrics.registry.contentType).send(body);
    });
    done();
  };
}
