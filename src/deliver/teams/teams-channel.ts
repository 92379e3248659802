// Microsoft Teams: a Workflows webhook (Adaptive Card) or a legacy Office 365 connector
// (MessageCard). Teams throttles at about 4 requests a second and answers 429 with Retry-After;
// a deleted workflow or connector answers 404 or 410.
import type { Channel, DeliveryResult } from '../channel.js';
import { chatOutcome, originOf, postChat, scrubUrl } from '../chat-webhook.js';
import { buildTeamsMessages } from './alert-card.js';
import type { TeamsFormat } from './cards.js';

/** A resolved Teams subscription: the webhook URL (its path and query are the credential) from the environment. */
export interface TeamsChannelOptions {
  readonly url: string;
  readonly format?: TeamsFormat;
}

/**
 * One card per alert, or its parts in order when it is over the size limit. A part that fails
 * stops the rest; the retry sends every part again, so a receiver may see early parts twice.
 */
export function createTeamsChannel(options: TeamsChannelOptions): Channel {
  const label = originOf(options.url);
  const format = options.format ?? 'adaptive';
  const scrub = (s: string): string => scrubUrl(s, options.url);
  return {
    kind: 'teams',
    async send(alert, ctx): Promise<DeliveryResult> {
      if (label === null) return { status: 'failed', reason: 'teams target is not an http(s) URL' };
      const now = ctx.clock.now();
      const parts = buildTeamsMessages(alert, now, format);
      for (const [i, part] of parts.entries()) {
        const who = parts.length === 1 ? `teams ${label}` : `teams ${label} (part ${i + 1}/${parts.length})`;
        const posted = await postChat(options.url, JSON.stringify(part), ctx, who, scrub);
        const outcome = 'outcome' in posted ? posted.outcome : chatOutcome(posted.res, now, who, scrub);
        if (outcome.status !== 'sent') return outcome;
      }
      return { status: 'sent' };
    },
  };
}
