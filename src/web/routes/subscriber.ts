// A subscriber's own page, reached through the tokenised link in their email: their settings
// (and nobody else's) and their personal feed links. The token is the credential, as for feeds.
import type { FastifyPluginCallback, FastifyReply, FastifyRequest } from 'fastify';
import type { Subscription } from '../../model/subscription.js';
import { publicLink } from '../../pipeline/store-subscriptions.js';
import { hashToken } from '../../util/token.js';
import { parseForm } from '../form.js';
import { WEB } from '../paths.js';
import { settingsFromForm, subscriptionFormView } from '../views/subscription.js';
import { seeOther, sendMessage, sendPage, type WebContext } from './context.js';

const TOKEN = /^[A-Za-z0-9_-]{20,100}$/;
type Req = FastifyRequest<{ Params: { token: string }; Querystring: { saved?: string } }>;

export function subscriberRoutes(ctx: WebContext): FastifyPluginCallback {
  const { store, config, clock } = ctx.deps;
  const link = (path: string) => publicLink(config, path) ?? path;

  /** The subscription behind the token, or a refusal already sent (the same answer for malformed and unknown). */
  const load = async (request: Req, reply: FastifyReply): Promise<Subscription | undefined> => {
    const sub = TOKEN.test(request.params.token) ? await store.findSubscriptionByToken(hashToken(request.params.token)) : undefined;
    if (!sub || sub.status === 'pending') {
      await sendMessage(ctx, request, reply, 404, 'Link not valid', 'This link belongs to no subscription (or one still waiting for its confirmation).');
      return undefined;
    }
    if (sub.status === 'unsubscribed') {
      await sendMessage(ctx, request, reply, 410, 'Subscription ended', 'This subscription was ended; subscribe again to hear from us.');
      return undefined;
    }
    return sub;
  };

  return (app, _options, done) => {
    app.get<{ Params: { token: string }; Querystring: { saved?: string } }>(`${WEB.mine(':token')}`, async (request, reply) => {
      const sub = await load(request, reply);
      if (!sub) return;
      const token = request.params.token;
      const view = {
        sub: subscriptionFormView(sub),
        id: 'mine',
        action: WEB.mine(token),
        admin: false,
        notice: request.query.saved ? 'Your settings are saved.' : '',
        feeds: { ics: link(`/feeds/${token}.ics`), atom: link(`/feeds/${token}.atom`), json: link(`/feeds/${token}.json`) },
        unsubscribe: link(`/unsubscribe/${token}`),
      };
      await sendPage(ctx, request, reply, 'subscriber', view, { title: 'Your subscription' });
    });

    app.post<{ Params: { token: string }; Querystring: { saved?: string } }>(`${WEB.mine(':token')}`, async (request, reply) => {
      const sub = await load(request, reply);
      if (!sub) return;
      const result = settingsFromForm(parseForm(request.body), sub.settings);
      if ('problem' in result) return sendMessage(ctx, request, reply, 400, 'Not saved', result.problem, WEB.mine(request.params.token));
      await store.updateSubscription(sub.id, { settings: result.settings }, clock.now());
      await seeOther(reply, `${WEB.mine(request.params.token)}?saved=1`);
    });
    done();
  };
}
