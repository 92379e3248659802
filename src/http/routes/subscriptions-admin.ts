// Management of store subscriptions and acknowledgements (behind the admin token).
import { randomBytes } from 'node:crypto';
import type { FastifyPluginCallback } from 'fastify';
import { ACK_STATUSES, SUBSCRIPTION_CHANNELS, SUBSCRIPTION_STATUSES, type AckStatus, type Subscription, type SubscriptionChannel, type SubscriptionStatus } from '../../model/subscription.js';
import { allowListOf, checkUrlAllowed } from '../../net/ssrf-guard.js';
import { publicLink } from '../../pipeline/store-subscriptions.js';
import { hashToken, newSubscriptionId, newToken } from '../../util/token.js';
import { filterProperties, pathParams, settingsFrom, type FilterBody } from '../schemas.js';
import type { HttpDeps } from '../server.js';

/** Filters without defaults: a PATCH changes only what it names. */
const patchFilters = Object.fromEntries(Object.entries(filterProperties).map(([k, v]) => [k, Object.fromEntries(Object.entries(v).filter(([p]) => p !== 'default'))]));
const EMAIL = /^[^\s@<>()]+@[^\s@<>()]+\.[^\s@<>()]+$/;

/** The API's view of a subscription: never the webhook secret. */
function view(sub: Subscription) {
  const { webhookSecret, ...settings } = sub.settings;
  return { ...sub, settings, ...(webhookSecret ? { hasWebhookSecret: true } : {}) };
}

function targetProblem(channel: SubscriptionChannel, target: string, allowPrivateHosts: readonly string[]): string | undefined {
  if (channel === 'email') return EMAIL.test(target) ? undefined : 'target must be an email address';
  if (!/^https?:\/\/[^\s]+$/i.test(target) || !URL.canParse(target)) return 'target must be an http(s) URL';
  // Refused early what the SSRF guard would refuse at delivery time (names are judged again then).
  const refusal = checkUrlAllowed(new URL(target), allowListOf(allowPrivateHosts));
  return refusal ? `target refused: ${refusal}` : undefined;
}

export function subscriptionAdminRoutes(deps: HttpDeps): FastifyPluginCallback {
  return (app, _options, done) => {
    app.get<{ Querystring: { status?: SubscriptionStatus; channel?: SubscriptionChannel; limit: number } }>(
      '/subscriptions',
      {
        schema: {
          summary: 'Store subscriptions, oldest first (config subscriptions are in the config file)',
          tags: ['subscriptions'],
          querystring: {
            type: 'object',
            properties: { status: { type: 'string', enum: [...SUBSCRIPTION_STATUSES] }, channel: { type: 'string', enum: [...SUBSCRIPTION_CHANNELS] }, limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 } },
            additionalProperties: false,
          },
        },
      },
      async (request) => ({ subscriptions: (await deps.store.listSubscriptions(request.query)).map(view) }),
    );

    app.post<{ Body: FilterBody & { channel: SubscriptionChannel; target: string; status?: 'active' | 'pending' } }>(
      '/subscriptions',
      {
        schema: {
          summary: 'Create a subscription (active at once: the operator vouches for it). Returns its token once.',
          tags: ['subscriptions'],
          body: {
            type: 'object',
            properties: {
              channel: { type: 'string', enum: [...SUBSCRIPTION_CHANNELS] },
              target: { type: 'string', minLength: 3, maxLength: 2000, description: 'email address, or webhook / Slack incoming-webhook URL' },
              status: { type: 'string', enum: ['active', 'pending'], default: 'active' },
              ...filterProperties,
            },
            required: ['channel', 'target'],
            additionalProperties: false,
          },
        },
      },
      async (request, reply) => {
        const { channel, target } = request.body;
        const problem = targetProblem(channel, target, deps.config.network.allowPrivateHosts);
        if (problem) return reply.code(400).send({ error: 'bad-request', message: problem });
        const now = deps.clock.now().toISOString();
        const token = newToken();
        // Standard Webhooks secret: whsec_ + base64 of 32 random bytes, shown once here.
        const webhookSecret = channel === 'webhook' ? `whsec_${randomBytes(32).toString('base64')}` : undefined;
        const sub: Subscription = {
          id: newSubscriptionId(),
          channel,
          target,
          settings: { ...settingsFrom(request.body), ...(webhookSecret ? { webhookSecret } : {}) },
          status: request.body.status ?? 'active',
          createdAt: now,
          updatedAt: now,
        };
        await deps.store.createSubscription(sub, hashToken(token));
        const link = (path: string) => publicLink(deps.config, path) ?? path;
        return reply.code(201).send({
          subscription: view(sub),
          token,
          ...(webhookSecret ? { webhookSecret } : {}),
          feeds: { json: link(`/feeds/${token}.json`), atom: link(`/feeds/${token}.atom`), ics: link(`/feeds/${token}.ics`) },
          unsubscribe: link(`/unsubscribe/${token}`),
        });
      },
    );

    app.get<{ Params: { id: string } }>('/subscriptions/:id', { schema: { summary: 'One store subscription', tags: ['subscriptions'], params: pathParams('id') } }, async (request, reply) => {
      const sub = await deps.store.getSubscription(request.params.id);
      return sub ? view(sub) : reply.code(404).send({ error: 'not-found', message: `no subscription "${request.params.id}"` });
    });

    app.patch<{ Params: { id: string }; Body: FilterBody & { status?: SubscriptionStatus; target?: string } }>(
      '/subscriptions/:id',
      {
        schema: {
          summary: 'Change status, target or filters (only the fields given)',
          tags: ['subscriptions'],
          params: pathParams('id'),
          body: {
            type: 'object',
            properties: { status: { type: 'string', enum: [...SUBSCRIPTION_STATUSES] }, target: { type: 'string', minLength: 3, maxLength: 2000 }, ...patchFilters },
            additionalProperties: false,
          },
        },
      },
      async (request, reply) => {
        const cur = await deps.store.getSubscription(request.params.id);
        if (!cur) return reply.code(404).send({ error: 'not-found', message: `no subscription "${request.params.id}"` });
        const { status, target, ...filters } = request.body;
        const problem = target === undefined ? undefined : targetProblem(cur.channel, target, deps.config.network.allowPrivateHosts);
        if (problem) return reply.code(400).send({ error: 'bad-request', message: problem });
        const updated = await deps.store.updateSubscription(
          cur.id,
          { ...(status ? { status } : {}), ...(target ? { target } : {}), settings: settingsFrom(filters, cur.settings) },
          deps.clock.now(),
        );
        return updated ? view(updated) : reply.code(404).send({ error: 'not-found', message: `no subscription "${request.params.id}"` });
      },
    );

    app.delete<{ Params: { id: string } }>('/subscriptions/:id', { schema: { summary: 'Delete a store subscription and its tokens', tags: ['subscriptions'], params: pathParams('id') } }, async (request, reply) => {
      if (!(await deps.store.deleteSubscription(request.params.id))) return reply.code(404).send({ error: 'not-found', message: `no subscription "${request.params.id}"` });
      return reply.code(204).send();
    });

    app.get<{ Querystring: { advisory?: string } }>(
      '/acknowledgements',
      {
        schema: {
          summary: 'Acknowledged matches ("applied" / "not-applicable")',
          tags: ['acknowledgements'],
          querystring: { type: 'object', properties: { advisory: { type: 'string' } }, additionalProperties: false },
        },
      },
      async (request) => ({ acknowledgements: await deps.store.listAcknowledgements(request.query.advisory ? [request.query.advisory] : undefined) }),
    );

    const matchParams = pathParams('id', 'collection', 'item');
    app.post<{ Params: { id: string; collection: string; item: string }; Body: { status: AckStatus; note?: string } }>(
      '/advisories/:id/matches/:collection/:item/acknowledgement',
      {
        schema: {
          summary: 'Acknowledge one match: the fix was applied, or it does not apply (stops reminders)',
          tags: ['acknowledgements'],
          params: matchParams,
          body: {
            type: 'object',
            properties: { status: { type: 'string', enum: [...ACK_STATUSES] }, note: { type: 'string', maxLength: 2000 } },
            required: ['status'],
            additionalProperties: false,
          },
        },
      },
      async (request, reply) => {
        const { id, collection, item } = request.params;
        const matches = await deps.store.listMatches([id]);
        if (!matches.some((m) => m.item.collection === collection && m.item.name === item)) {
          return reply.code(404).send({ error: 'not-found', message: `advisory "${id}" has no match for item "${item}" in collection "${collection}"` });
        }
        const ack = await deps.store.acknowledge({
          advisoryId: id,
          itemCollection: collection,
          itemName: item,
          status: request.body.status,
          ...(request.body.note ? { note: request.body.note } : {}),
          acknowledgedAt: deps.clock.now(),
        });
        return reply.code(201).send(ack);
      },
    );

    app.delete<{ Params: { id: string; collection: string; item: string } }>(
      '/advisories/:id/matches/:collection/:item/acknowledgement',
      { schema: { summary: 'Withdraw an acknowledgement', tags: ['acknowledgements'], params: matchParams } },
      async (request, reply) => {
        const { id, collection, item } = request.params;
        if (!(await deps.store.removeAcknowledgement(id, collection, item))) return reply.code(404).send({ error: 'not-found', message: 'no such acknowledgement' });
        return reply.code(204).send();
      },
    );
    done();
  };
}
