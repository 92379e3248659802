// Subscribing by email: double opt-in, and unsubscribing by RFC 8058 one-click POST or by a page.
// GETs only ever show a page with a button: mail scanners prefetch links, so a GET must not act.
import type { FastifyPluginCallback, FastifyReply } from 'fastify';
import { describeError } from '../../errors.js';
import type { Subscription } from '../../model/subscription.js';
import { publicLink, storeEmailTransport } from '../../pipeline/store-subscriptions.js';
import { hashToken, newSubscriptionId, newToken } from '../../util/token.js';
import { HTML_CONTENT_TYPE, actionPage, html, page } from '../pages.js';
import type { HttpDeps } from '../server.js';
import { sendConfirmMail } from '../subscribe/confirm-mail.js';
import { filterProperties, settingsFrom, type FilterBody } from '../schemas.js';

/** A confirmation link older than this is refused: whoever asked has to ask again. */
export const CONFIRM_TTL_MS = 7 * 24 * 3_600_000;

const tokenParams = { type: 'object', properties: { token: { type: 'string', pattern: '^[A-Za-z0-9_-]{20,100}$' } }, required: ['token'] } as const;

/** Public routes (rate-limited by the caller): POST /subscriptions/email, confirm and unsubscribe. */
export function subscribeRoutes(deps: HttpDeps): FastifyPluginCallback {
  return (app, _options, done) => {
    const findByToken = (token: string) => deps.store.findSubscriptionByToken(hashToken(token));
    const sendPage = (reply: FastifyReply, status: number, body: string) => reply.code(status).type(HTML_CONTENT_TYPE).header('cache-control', 'no-store').send(body);
    const notFound = (reply: FastifyReply) => sendPage(reply, 404, page('Link not valid', html`<p>This link is not valid, or its subscription was removed.</p>`));

    app.post<{ Body: FilterBody & { email: string } }>(
      '/subscriptions/email',
      {
        config: { rateLimit: { max: deps.config.http.rateLimit.subscribeMax, timeWindow: '1 hour' } },
        schema: {
          summary: 'Subscribe an email address (double opt-in: a confirmation mail is sent)',
          tags: ['subscribing'],
          body: {
            type: 'object',
            properties: { email: { type: 'string', format: 'email', maxLength: 254 }, ...filterProperties },
            required: ['email'],
            additionalProperties: false,
          },
        },
      },
      async (request, reply) => {
        const transport = storeEmailTransport(deps.config);
        if (!deps.config.http.publicUrl || !transport) {
          return reply.code(503).send({ error: 'unavailable', message: 'email subscriptions need http.publicUrl and an email transport (SECWATCH_SMTP_URL)' });
        }
        const now = deps.clock.now();
        const token = newToken();
        const sub: Subscription = {
          id: newSubscriptionId(),
          channel: 'email',
          target: request.body.email,
          settings: settingsFrom(request.body),
          status: 'pending',
          createdAt: now.toISOString(),
          updatedAt: now.toISOString(),
        };
        await deps.store.createSubscription(sub, hashToken(token));
        try {
          await sendConfirmMail(transport, {
            from: deps.config.email.from,
            to: sub.target,
            confirmUrl: publicLink(deps.config, `/confirm/${token}`)!,
            title: deps.config.feed.title,
            date: now,
            subscriptionId: sub.id,
          });
        } catch (err) {
          deps.log.error({ subscription: sub.id, err: describeError(err) }, 'confirmation mail not sent');
          await deps.store.deleteSubscription(sub.id);
          return reply.code(502).send({ error: 'mail-failed', message: 'the confirmation mail could not be sent; try again later' });
        }
        // The same answer whether or not the address was known: the API tells nobody who subscribes.
        return reply.code(202).send({ status: 'pending', message: 'a confirmation mail was sent; the subscription starts when its link is confirmed' });
      },
    );

    app.get<{ Params: { token: string } }>('/confirm/:token', { schema: { summary: 'Confirmation page (a button that POSTs)', tags: ['subscribing'], params: tokenParams } }, async (request, reply) => {
      const sub = await findByToken(request.params.token);
      if (!sub) return notFound(reply);
      if (sub.status === 'active') return sendPage(reply, 200, subscribedPage(deps, sub, request.params.token));
      return sendPage(reply, 200, actionPage('Confirm your subscription', `Send security alerts to ${sub.target}?`, `/confirm/${request.params.token}`, 'Confirm'));
    });

    app.post<{ Params: { token: string } }>('/confirm/:token', { schema: { summary: 'Confirm (activate) a pending subscription', tags: ['subscribing'], params: tokenParams } }, async (request, reply) => {
      const sub = await findByToken(request.params.token);
      if (!sub) return notFound(reply);
      // An unsubscribed address is not brought back by an old confirmation link.
      if (sub.status === 'unsubscribed') return sendPage(reply, 410, page('Subscription ended', html`<p>This subscription was ended; subscribe again to restart it.</p>`));
      if (sub.status === 'pending' && deps.clock.now().getTime() - Date.parse(sub.createdAt) > CONFIRM_TTL_MS) {
        return sendPage(reply, 410, page('Link expired', html`<p>This confirmation link has expired; subscribe again to get a new one.</p>`));
      }
      const active = sub.status === 'active' ? sub : await deps.store.updateSubscription(sub.id, { status: 'active' }, deps.clock.now());
      return sendPage(reply, 200, subscribedPage(deps, active ?? sub, request.params.token));
    });

    app.get<{ Params: { token: string } }>('/unsubscribe/:token', { schema: { summary: 'Unsubscribe page for people (a GET never unsubscribes)', tags: ['subscribing'], params: tokenParams } }, async (request, reply) => {
      const sub = await findByToken(request.params.token);
      if (!sub) return notFound(reply);
      if (sub.status === 'unsubscribed') return sendPage(reply, 200, page('Unsubscribed', html`<p>${sub.target} receives no more alerts.</p>`));
      return sendPage(reply, 200, actionPage('Unsubscribe', `Stop sending security alerts to ${sub.target}?`, `/unsubscribe/${request.params.token}`, 'Unsubscribe'));
    });

    // RFC 8058 §3.1: the mail client POSTs `List-Unsubscribe=One-Click` (form-encoded or multipart);
    // the page's button POSTs a form too. The token is the credential, so any POST to it acts.
    app.post<{ Params: { token: string } }>(
      '/unsubscribe/:token',
      { schema: { summary: 'Unsubscribe (RFC 8058 one-click POST, or the page\u2019s button)', tags: ['subscribing'], params: tokenParams } },
      async (request, reply) => {
        const sub = await findByToken(request.params.token);
        if (!sub) return notFound(reply);
        if (sub.status !== 'unsubscribed') await deps.store.updateSubscription(sub.id, { status: 'unsubscribed' }, deps.clock.now());
        deps.log.info({ subscription: sub.id }, 'unsubscribed');
        return sendPage(reply, 200, page('Unsubscribed', html`<p>${sub.target} receives no more alerts.</p>`));
      },
    );
    done();
  };
}

function subscribedPage(deps: HttpDeps, sub: Subscription, token: string): string {
  const link = (path: string): string => publicLink(deps.config, path) ?? path;
  return page(
    'Subscribed',
    html`<p>Security alerts will be sent to ${sub.target}.</p>
<p>Your personal feeds (keep these links private): <a href="${link(`/feeds/${token}.json`)}">JSON Feed</a>,
<a href="${link(`/feeds/${token}.atom`)}">Atom</a>, <a href="${link(`/feeds/${token}.ics`)}">apply-by calendar</a>.</p>
<p><a href="${link(`/unsubscribe/${token}`)}">Unsubscribe</a></p>`,
  );
}
