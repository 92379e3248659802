// The admin's pages (GET): deadlines, advisories, one advisory, advance notices, sources, subscriptions.
// Each reads the store at the edge and hands plain data to a pure view model.
import type { FastifyPluginCallback } from 'fastify';
import type { Advisory, SignatureStatus } from '../../model/advisory.js';
import { WEB } from '../paths.js';
import { advanceNoticesView } from '../views/advance-notices.js';
import { advisoriesView, parseAdvisoryFilters, storeQuery } from '../views/advisories.js';
import { advisoryDetailView } from '../views/advisory-detail.js';
import { deadlinesView } from '../views/deadlines.js';
import { isoDay } from '../views/format.js';
import { sourcesView } from '../views/sources.js';
import { subscriptionFormView } from '../views/subscription.js';
import { sendMessage, sendPage, type WebContext } from './context.js';

/** How many advisories one list page shows (the store applies every filter, search words included). */
const PAGE = 200;
/** How many stored advisories per source the verification counts look at. */
const SIGNATURE_SAMPLE = 2000;

export function adminPageRoutes(ctx: WebContext): FastifyPluginCallback {
  const { store, clock } = ctx.deps;
  return (app, _options, done) => {
    app.get(WEB.home, async (request, reply) => {
      const [matches, acknowledgements] = await Promise.all([store.listMatches(), store.listAcknowledgements()]);
      const ids = [...new Set(matches.map((m) => m.advisoryId))];
      const advisories = new Map<string, Advisory>();
      for (const stored of await Promise.all(ids.map((id) => store.getAdvisory(id)))) if (stored) advisories.set(stored.advisory.id, stored.advisory);
      const view = deadlinesView({ matches, advisories, acknowledgements, today: isoDay(clock.now()) });
      await sendPage(ctx, request, reply, 'deadlines', { ...view, ackAction: WEB.acknowledge }, { title: 'Deadlines', current: 'deadlines' });
    });

    app.get<{ Querystring: Record<string, string> }>(WEB.advisories, async (request, reply) => {
      const { filters, problems } = parseAdvisoryFilters(request.query);
      const page = await store.queryAdvisories(storeQuery(filters, PAGE));
      const matched = await store.listMatches(page.items.map((s) => s.advisory.id));
      const view = advisoriesView({
        items: page.items,
        matchedIds: new Set(matched.map((m) => m.advisoryId)),
        filters,
        problems,
        sourceIds: ctx.deps.sources.map((s) => s.id),
        ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
      });
      await sendPage(ctx, request, reply, 'advisories', { ...view, action: WEB.advisories }, { title: 'Advisories', current: 'advisories' });
    });

    app.get<{ Params: { id: string } }>(`${WEB.advisories}/:id`, async (request, reply) => {
      const stored = await store.getAdvisory(request.params.id);
      if (!stored) return sendMessage(ctx, request, reply, 404, 'Not found', `There is no advisory "${request.params.id}".`, WEB.advisories);
      const id = stored.advisory.id;
      const [revisions, matches, acknowledgements, siblings] = await Promise.all([
        store.listRevisions(id),
        store.listMatches([id]),
        store.listAcknowledgements([id]),
        stored.advisory.cves.length > 0 ? store.listAdvisoriesByCves(stored.advisory.cves) : Promise.resolve([]),
      ]);
      const view = advisoryDetailView({ stored, revisions, matches, acknowledgements, siblings: siblings.map((s) => s.advisory), today: isoDay(clock.now()) });
      await sendPage(ctx, request, reply, 'advisory', view, { title: view.title, current: 'advisories' });
    });

    app.get(WEB.advance, async (request, reply) => {
      const page = await store.queryAdvisories({ limit: 500, kinds: ['advance-notice'] });
      const view = advanceNoticesView(page.items.map((s) => s.advisory), isoDay(clock.now()));
      await sendPage(ctx, request, reply, 'advance-notices', view, { title: 'Advance notices', current: 'advance' });
    });

    app.get(WEB.sources, async (request, reply) => {
      const inputs = await Promise.all(
        ctx.deps.sources.map(async (s) => {
          const [state, stored] = await Promise.all([store.getSourceState(s.id), store.listAdvisories({ sourceId: s.id, limit: SIGNATURE_SAMPLE })]);
          const signatures = new Map<SignatureStatus, number>();
          for (const a of stored) signatures.set(a.advisory.signature.status, (signatures.get(a.advisory.signature.status) ?? 0) + 1);
          const verify = (s.config as { verify?: string }).verify;
          return { id: s.id, kind: s.kind, enabled: s.config.enabled, intervalMs: s.config.interval, ...(verify ? { verify } : {}), ...(state ? { state } : {}), signatures };
        }),
      );
      const view = sourcesView(inputs, await store.listQuarantine({ limit: 500 }), clock.now());
      await sendPage(ctx, request, reply, 'sources', view, { title: 'Sources', current: 'sources' });
    });

    app.get<{ Querystring: { saved?: string } }>(WEB.subscriptions, async (request, reply) => {
      const subs = await store.listSubscriptions({ limit: 1000 });
      const subscriptions = subs.map((s) => ({ sub: subscriptionFormView(s), id: `s-${s.id}`, action: WEB.subscription(s.id), admin: true }));
      const notice = request.query.saved ? `Saved subscription ${request.query.saved}.` : '';
      await sendPage(ctx, request, reply, 'subscriptions', { subscriptions, notice }, { title: 'Subscriptions', current: 'subscriptions' });
    });
    done();
  };
}
