// Signed acknowledgement links from alerts (src/remind/ack-link.ts): GET shows what the link would
// record and a button; only the POST records it (mail scanners prefetch GETs). The signature is
// the credential, so these routes need no token; a changed or expired link is refused with a page.
import type { FastifyPluginCallback, FastifyReply } from 'fastify';
import type { AckStatus } from '../../model/subscription.js';
import { verifyAckToken, type AckLinkClaim } from '../../remind/ack-link.js';
import { HTML_CONTENT_TYPE, html, page } from '../pages.js';
import type { HttpDeps } from '../server.js';

// The token rides in the query string: it is longer than fastify's 100-character limit on path parameters.
// No pattern here: a mangled token gets the same "not valid" page as a tampered one, not a JSON error.
const tokenQuery = { type: 'object', properties: { t: { type: 'string', minLength: 1, maxLength: 8000 } }, required: ['t'] } as const;
const STATUS_WORDS: Record<AckStatus, { verb: string; done: string }> = {
  applied: { verb: 'Mark applied', done: 'marked as applied' },
  'not-applicable': { verb: 'Mark not applicable', done: 'marked as not applicable' },
};

/** GET/POST /ack?t=<token> (public, rate-limited by the caller). */
export function ackLinkRoutes(deps: HttpDeps): FastifyPluginCallback {
  return (app, _options, done) => {
    const sendPage = (reply: FastifyReply, status: number, title: string, body: ReturnType<typeof html>) =>
      reply.code(status).type(HTML_CONTENT_TYPE).header('cache-control', 'no-store').send(page(title, body));

    /** The claim of a good link, or the refusal page already sent. */
    const check = async (token: string, reply: FastifyReply): Promise<AckLinkClaim | undefined> => {
      const secret = deps.config.linkSecret;
      if (!secret) {
        await sendPage(reply, 503, 'Links not available', html`<p>Acknowledgement links are not enabled on this service (SECWATCH_LINK_SECRET is not set).</p>`);
        return undefined;
      }
      const result = verifyAckToken(token, secret, deps.clock.now());
      if (result.outcome === 'invalid') {
        deps.log.warn({ reason: result.reason }, 'acknowledgement link refused');
        await sendPage(reply, 403, 'Link not valid', html`<p>This acknowledgement link is not valid: ${result.reason}. Use the link exactly as it came in the alert.</p>`);
        return undefined;
      }
      if (result.outcome === 'expired') {
        await sendPage(reply, 410, 'Link expired', html`<p>This acknowledgement link has expired. Acknowledge ${result.claim.itemName} through the API or a newer alert.</p>`);
        return undefined;
      }
      const matches = await deps.store.listMatches([result.claim.advisoryId]);
      if (!matches.some((m) => m.item.collection === result.claim.itemCollection && m.item.name === result.claim.itemName)) {
        await sendPage(reply, 404, 'Nothing to acknowledge', html`<p>${result.claim.advisoryId} no longer matches ${result.claim.itemName} (${result.claim.itemCollection}); there is nothing to acknowledge.</p>`);
        return undefined;
      }
      return result.claim;
    };

    app.get<{ Querystring: { t: string } }>(
      '/ack',
      { schema: { summary: 'Acknowledgement link from an alert: a page with a button (a GET records nothing)', tags: ['acknowledgements'], querystring: tokenQuery } },
      async (request, reply) => {
        const claim = await check(request.query.t, reply);
        if (!claim) return reply;
        const words = STATUS_WORDS[claim.status];
        const current = (await deps.store.listAcknowledgements([claim.advisoryId])).find((a) => a.itemCollection === claim.itemCollection && a.itemName === claim.itemName);
        const title = (await deps.store.getAdvisory(claim.advisoryId))?.advisory.title ?? claim.advisoryId;
        return sendPage(
          reply,
          200,
          words.verb,
          html`<p>${words.verb}: <strong>${claim.itemName}</strong> (${claim.itemCollection}) for ${claim.advisoryId}: ${title}?</p>
${current ? html`<p>Currently recorded: ${current.status} (${current.acknowledgedAt}).</p>` : ''}
<p>Once recorded, no more apply-by reminders are sent about this item.</p>
<form method="post" action="/ack?t=${request.query.t}"><input type="hidden" name="confirm" value="1"><button type="submit">${words.verb}</button></form>`,
        );
      },
    );

    app.post<{ Querystring: { t: string } }>(
      '/ack',
      { schema: { summary: 'Record the acknowledgement a signed link names', tags: ['acknowledgements'], querystring: tokenQuery } },
      async (request, reply) => {
        const claim = await check(request.query.t, reply);
        if (!claim) return reply;
        const ack = await deps.store.acknowledge({
          advisoryId: claim.advisoryId,
          itemCollection: claim.itemCollection,
          itemName: claim.itemName,
          status: claim.status,
          note: `signed link in an alert to subscription ${claim.subscriptionId}`,
          acknowledgedAt: deps.clock.now(),
        });
        deps.log.info({ advisory: claim.advisoryId, item: claim.itemName, status: claim.status, subscription: claim.subscriptionId }, 'acknowledged by link');
        return sendPage(
          reply,
          200,
          'Recorded',
          html`<p><strong>${claim.itemName}</strong> (${claim.itemCollection}) is ${STATUS_WORDS[ack.status].done} for ${claim.advisoryId}. No more reminders are sent about it.</p>`,
        );
      },
    );
    done();
  };
}
