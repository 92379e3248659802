import type { FastifyPluginCallback } from 'fastify';
import type { Advisory } from '../../model/advisory.js';
import { logicalItemOf } from '../../merge/logical-item.js';
import { SEVERITIES, type Severity } from '../../model/severity.js';
import type { DeliveryStatus } from '../../store/store.js';
import { decodeAdvisoryCursor } from '../../store/subscription-store.js';
import { pathParams } from '../schemas.js';
import type { HttpDeps } from '../server.js';

/** A comma-separated list parameter ("critical,important"). */
const list = (v: string | undefined): string[] | undefined => (v === undefined ? undefined : v.split(',').map((s) => s.trim()).filter(Boolean));

interface AdvisoryQuerystring {
  limit: number;
  severity?: string;
  source?: string;
  kind?: string;
  cve?: string;
  matched?: boolean;
  since?: string;
  q?: string;
  publishedFrom?: string;
  publishedTo?: string;
  cursor?: string;
}

/** Read API for operators and tools; every route here sits behind the admin token. */
export function managementRoutes(deps: HttpDeps): FastifyPluginCallback {
  return (app, _options, done) => {
    app.get<{ Querystring: AdvisoryQuerystring }>(
      '/advisories',
      {
        schema: {
          summary: 'Advisories, most recently changed first, filtered, a page at a time',
          tags: ['advisories'],
          querystring: {
            type: 'object',
            properties: {
              limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
              severity: { type: 'string', pattern: `^(${SEVERITIES.join('|')})(,(${SEVERITIES.join('|')}))*$`, description: 'one or more, comma-separated' },
              source: { type: 'string', description: 'source ids, comma-separated' },
              kind: { type: 'string', pattern: '^(advisory|advance-notice)(,(advisory|advance-notice))*$' },
              cve: { type: 'string', pattern: '^[Cc][Vv][Ee]-\\d{4}-\\d{4,}$' },
              matched: { type: 'boolean', description: 'true: only advisories that hit the inventory; false: only those that do not' },
              since: { type: 'string', format: 'date-time', description: 'changed at or after this instant' },
              q: {
                type: 'string',
                maxLength: 200,
                description: 'search words, any case: every one must be a whole word of the id, title, a CVE id, an alias or a product (vendor and name)',
              },
              publishedFrom: { type: 'string', anyOf: [{ format: 'date' }, { format: 'date-time' }], description: 'published on or after this day (UTC) or instant' },
              publishedTo: { type: 'string', anyOf: [{ format: 'date' }, { format: 'date-time' }], description: 'published on or before this day (the whole day, UTC) or instant' },
              cursor: { type: 'string', description: 'nextCursor of the previous page' },
            },
            additionalProperties: false,
          },
        },
      },
      async (request, reply) => {
        const q = request.query;
        if (q.cursor !== undefined && !decodeAdvisoryCursor(q.cursor)) return reply.code(400).send({ error: 'bad-request', message: 'cursor is not one this API gave out' });
        const severities = list(q.severity) as Severity[] | undefined;
        const sourceIds = list(q.source);
        const kinds = list(q.kind) as Advisory['kind'][] | undefined;
        const page = await deps.store.queryAdvisories({
          limit: q.limit,
          ...(severities ? { severities } : {}),
          ...(sourceIds ? { sourceIds } : {}),
          ...(kinds ? { kinds } : {}),
          ...(q.cve ? { cve: q.cve } : {}),
          ...(q.matched === undefined ? {} : { matched: q.matched }),
          ...(q.since ? { since: new Date(q.since).toISOString() } : {}),
          ...(q.q ? { text: q.q } : {}),
          ...(q.publishedFrom ? { publishedFrom: q.publishedFrom } : {}),
          ...(q.publishedTo ? { publishedTo: q.publishedTo } : {}),
          ...(q.cursor ? { cursor: q.cursor } : {}),
        });
        return {
          items: page.items.map((s) => ({ ...s.advisory, firstSeen: s.firstSeen, updatedAt: s.updatedAt })),
          ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
        };
      },
    );

    app.get<{ Params: { id: string } }>('/advisories/:id', { schema: { summary: 'One advisory with its revisions, matches and acknowledgements', tags: ['advisories'], params: pathParams('id') } }, async (request, reply) => {
      const stored = await deps.store.getAdvisory(request.params.id);
      if (!stored) return reply.code(404).send({ error: 'not-found', message: `no advisory "${request.params.id}"` });
      const id = stored.advisory.id;
      const [revisions, matches, acknowledgements, siblings] = await Promise.all([
        deps.store.listRevisions(id),
        deps.store.listMatches([id]),
        deps.store.listAcknowledgements([id]),
        deps.store.listAdvisoriesByCves(stored.advisory.cves),
      ]);
      // The logical item: this advisory merged with every other source's advisory naming its CVEs, with provenance.
      const item = logicalItemOf(stored.advisory, siblings.map((s) => s.advisory));
      return { advisory: stored.advisory, firstSeen: stored.firstSeen, updatedAt: stored.updatedAt, revisions, matches, acknowledgements, item };
    });

    app.get('/sources', { schema: { summary: 'Sources with their last poll and error', tags: ['sources'] } }, async () => ({
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

    app.get<{ Querystring: { source?: string; limit: number } }>(
      '/quarantine',
      {
        schema: {
          summary: 'Documents that failed their source\u2019s verify policy, newest first',
          tags: ['sources'],
          querystring: { type: 'object', properties: { source: { type: 'string' }, limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 } }, additionalProperties: false },
        },
      },
      async (request) => ({
        quarantine: await deps.store.listQuarantine({ limit: request.query.limit, ...(request.query.source ? { sourceId: request.query.source } : {}) }),
      }),
    );

    app.get<{ Querystring: { status?: DeliveryStatus; subscription?: string; limit: number } }>(
      '/deliveries',
      {
        schema: {
          summary: 'Recorded deliveries, oldest first, by status (pending, retry, sent, failed)',
          tags: ['deliveries'],
          querystring: {
            type: 'object',
            properties: {
              status: { type: 'string', enum: ['pending', 'retry', 'sent', 'failed'] },
              subscription: { type: 'string' },
              limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
            },
            additionalProperties: false,
          },
        },
      },
      async (request) => {
        const { status, subscription, limit } = request.query;
        const deliveries = await deps.store.listDeliveries({ limit, ...(status ? { status } : {}), ...(subscription ? { subscriptionId: subscription } : {}) });
        // The payload is the whole alert; the list says what and where, GET one key for the rest.
        return { deliveries: deliveries.map(({ payload: _payload, ...d }) => d) };
      },
    );

    app.post<{ Params: { key: string } }>(
      '/deliveries/:key/retry',
      { schema: { summary: 'Put a failed delivery back to pending (attempts and last error kept)', tags: ['deliveries'], params: pathParams('key') } },
      async (request, reply) => {
        const result = await deps.store.retryDelivery(request.params.key, deps.clock.now());
        if (result.outcome === 'missing') return reply.code(404).send({ error: 'not-found', message: `no delivery with key ${request.params.key}` });
        if (result.outcome === 'not-failed') {
          return reply.code(409).send({ error: 'conflict', message: `delivery is ${result.delivery.status}, not failed: only a failed delivery can be retried` });
        }
        const { payload: _payload, ...delivery } = result.delivery;
        return delivery;
      },
    );

    app.get('/metrics', { schema: { summary: 'Prometheus metrics (text exposition format)', tags: ['operations'] } }, async (_request, reply) => {
      const body = await deps.metrics.registry.metrics();
      return reply.type(deps.metrics.registry.contentType).send(body);
    });
    done();
  };
}
