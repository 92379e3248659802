import type { FastifyPluginCallback } from 'fastify';
import { feedFromStore } from '../../feed/from-store.js';
import { ATOM_CONTENT_TYPE, buildAtomFeed } from '../../feed/atom.js';
import { JSON_FEED_CONTENT_TYPE } from '../../feed/json-feed.js';
import type { Match } from '../../model/match.js';
import type { StoredAdvisory } from '../../store/store.js';
import { sendWithEtag } from '../conditional.js';
import { deadlinesCalendar } from '../ical.js';
import { pathParams } from '../schemas.js';
import type { HttpDeps } from '../server.js';

/** JSON Feed (global and per source) and the iCalendar of apply-by deadlines, with ETags. */
export function feedRoutes(deps: HttpDeps): FastifyPluginCallback {
  return (app, _options, done) => {
    app.get('/feed.json', { schema: { summary: 'The global JSON Feed 1.1 (ETag; If-None-Match → 304)', tags: ['feeds'] } }, async (request, reply) => {
      const feed = await feedFromStore(deps.store, deps.config, deps.policy);
      await sendWithEtag(request, reply, JSON.stringify(feed), JSON_FEED_CONTENT_TYPE);
    });

    app.get('/feed.atom', { schema: { summary: 'The global feed as Atom 1.0 (same items as /feed.json)', tags: ['feeds'] } }, async (request, reply) => {
      const feed = await feedFromStore(deps.store, deps.config, deps.policy);
      const self = deps.config.http.publicUrl ? `${deps.config.http.publicUrl.replace(/\/+$/, '')}/feed.atom` : undefined;
      await sendWithEtag(request, reply, buildAtomFeed(feed, self, 'feed'), ATOM_CONTENT_TYPE);
    });

    app.get<{ Params: { id: string } }>('/sources/:id/feed.json', { schema: { summary: 'The JSON Feed of one source', tags: ['feeds'], params: pathParams('id') } }, async (request, reply) => {
      if (!deps.sources.some((s) => s.id === request.params.id)) return reply.code(404).send({ error: 'not-found', message: `no source "${request.params.id}"` });
      const feed = await feedFromStore(deps.store, deps.config, deps.policy, { sourceId: request.params.id });
      await sendWithEtag(request, reply, JSON.stringify(feed), JSON_FEED_CONTENT_TYPE);
    });

    app.get('/deadlines.ics', { schema: { summary: 'Apply-by dates of every match (iCalendar)', tags: ['feeds'] } }, async (request, reply) => {
      const matches = (await deps.store.listMatches()).filter((m) => m.applyBy !== null);
      const byAdvisory = new Map<string, Match[]>();
      for (const m of matches) byAdvisory.set(m.advisoryId, [...(byAdvisory.get(m.advisoryId) ?? []), m]);
      const entries: { stored: StoredAdvisory; matches: Match[] }[] = [];
      for (const [id, list] of byAdvisory) {
        const stored = await deps.store.getAdvisory(id);
        if (stored) entries.push({ stored, matches: list });
      }
      await sendWithEtag(request, reply, deadlinesCalendar(entries, `${deps.config.feed.title} apply-by deadlines`), 'text/calendar; charset=utf-8');
    });
    done();
  };
}
