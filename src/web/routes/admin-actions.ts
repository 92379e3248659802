// The admin's forms (POST): acknowledge a match, change a subscription. The CSRF field and the
// login are checked before these run (src/web/index.ts).
import type { FastifyPluginCallback } from 'fastify';
import { ACK_STATUSES, SUBSCRIPTION_STATUSES, type AckStatus, type SubscriptionStatus } from '../../model/subscription.js';
import { parseForm } from '../form.js';
import { WEB } from '../paths.js';
import { settingsFromForm } from '../views/subscription.js';
import { seeOther, sendMessage, type WebContext } from './context.js';

export function adminActionRoutes(ctx: WebContext): FastifyPluginCallback {
  const { store, clock } = ctx.deps;
  return (app, _options, done) => {
    app.post(WEB.acknowledge, async (request, reply) => {
      const form = parseForm(request.body);
      const advisoryId = form.get('advisoryId') ?? '';
      const collection = form.get('collection') ?? '';
      const item = form.get('item') ?? '';
      const status = form.get('status') ?? '';
      const note = (form.get('note') ?? '').trim().slice(0, 2000);
      if (!(ACK_STATUSES as readonly string[]).includes(status)) return sendMessage(ctx, request, reply, 400, 'Not acknowledged', `"${status}" is not applied or not-applicable.`);
      const matches = await store.listMatches([advisoryId]);
      if (!matches.some((m) => m.item.collection === collection && m.item.name === item)) {
        return sendMessage(ctx, request, reply, 404, 'Not acknowledged', `Advisory "${advisoryId}" has no match for item "${item}" in collection "${collection}".`);
      }
      await store.acknowledge({ advisoryId, itemCollection: collection, itemName: item, status: status as AckStatus, ...(note ? { note } : {}), acknowledgedAt: clock.now() });
      await seeOther(reply, WEB.home);
    });

    app.post<{ Params: { id: string } }>(`${WEB.subscriptions}/:id`, async (request, reply) => {
      const sub = await store.getSubscription(request.params.id);
      if (!sub) return sendMessage(ctx, request, reply, 404, 'Not found', `There is no subscription "${request.params.id}".`, WEB.subscriptions);
      const form = parseForm(request.body);
      const result = settingsFromForm(form, sub.settings);
      if ('problem' in result) return sendMessage(ctx, request, reply, 400, 'Not saved', result.problem, WEB.subscriptions);
      const status = form.get('status') ?? sub.status;
      if (!(SUBSCRIPTION_STATUSES as readonly string[]).includes(status)) return sendMessage(ctx, request, reply, 400, 'Not saved', `"${status}" is not a subscription status.`, WEB.subscriptions);
      await store.updateSubscription(sub.id, { settings: result.settings, status: status as SubscriptionStatus }, clock.now());
      await seeOther(reply, `${WEB.subscriptions}?saved=${encodeURIComponent(sub.id)}`);
    });
    done();
  };
}
