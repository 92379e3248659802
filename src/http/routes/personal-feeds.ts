// One subscriber's feeds at unguessable URLs: /feeds/{token}.json (JSON Feed 1.1), .atom, .ics.
import type { FastifyPluginCallback, FastifyReply, FastifyRequest } from 'fastify';
import { ATOM_CONTENT_TYPE, buildAtomFeed } from '../../feed/atom.js';
import { subscriptionEntries } from '../../feed/for-subscription.js';
import { JSON_FEED_CONTENT_TYPE, buildJsonFeed, type FeedEntry } from '../../feed/json-feed.js';
import type { Subscription } from '../../model/subscription.js';
import { publicLink } from '../../pipeline/store-subscriptions.js';
import { hashToken } from '../../util/token.js';
import { sendWithEtag } from '../conditional.js';
import { deadlinesCalendar } from '../ical.js';
import type { HttpDeps } from '../server.js';

const params = { type: 'object', properties: { token: { type: 'string', pattern: '^[A-Za-z0-9_-]{20,100}$' } }, required: ['token'] } as const;
type Req = FastifyRequest<{ Params: { token: string } }>;

/** Public routes (the token is the credential; rate-limited by the caller). */
export function personalFeedRoutes(deps: HttpDeps): FastifyPluginCallback {
  return (app, _options, done) => {
    /** The subscriber's entries, or an answer already sent: unknown token 404, pending 404, unsubscribed 410. */
    const load = async (request: Req, reply: FastifyReply): Promise<{ sub: Subscription; entries: FeedEntry[] } | undefined> => {
      const sub = await deps.store.findSubscriptionByToken(hashToken(request.params.token));
      if (!sub || sub.status === 'pending') {
        await reply.code(404).send({ error: 'not-found', message: 'no active subscription has this feed token' });
        return undefined;
      }
      if (sub.status === 'unsubscribed') {
        await reply.code(410).send({ error: 'gone', message: 'this subscription was ended' });
        return undefined;
      }
      return { sub, entries: await subscriptionEntries(deps.store, sub, deps.config.feed.limit) };
    };
    const meta = (token: string, ext: string) => ({
      title: `${deps.config.feed.title}: your alerts`,
      homePageUrl: deps.config.feed.homePageUrl,
      feedUrl: publicLink(deps.config, `/feeds/${token}.${ext}`),
      description: 'The advisories this subscription alerts on, rated and matched by secwatch',
    });

    app.get<{ Params: { token: string } }>('/feeds/:token.json', { schema: { summary: "A subscriber's JSON Feed 1.1", tags: ['feeds'], params } }, async (request, reply) => {
      const found = await load(request, reply);
      if (!found) return;
      const feed = buildJsonFeed(found.entries, meta(request.params.token, 'json'), deps.policy);
      await sendWithEtag(request, reply, JSON.stringify(feed), JSON_FEED_CONTENT_TYPE);
    });

    app.get<{ Params: { token: string } }>('/feeds/:token.atom', { schema: { summary: "A subscriber's items as Atom 1.0", tags: ['feeds'], params } }, async (request, reply) => {
      const found = await load(request, reply);
      if (!found) return;
      const m = meta(request.params.token, 'atom');
      const feed = buildJsonFeed(found.entries, m, deps.policy);
      await sendWithEtag(request, reply, buildAtomFeed(feed, m.feedUrl, `subscription:${found.sub.id}`), ATOM_CONTENT_TYPE);
    });

    app.get<{ Params: { token: string } }>('/feeds/:token.ics', { schema: { summary: "A subscriber's apply-by dates (iCalendar, one event per match)", tags: ['feeds'], params } }, async (request, reply) => {
      const found = await load(request, reply);
      if (!found) return;
      const entries = found.entries.map((e) => ({ stored: e.stored, matches: e.matches.filter((m) => m.applyBy !== null) })).filter((e) => e.matches.length > 0);
      await sendWithEtag(request, reply, deadlinesCalendar(entries, `${deps.config.feed.title}: your apply-by dates`), 'text/calendar; charset=utf-8');
    });
    done();
  };
}
