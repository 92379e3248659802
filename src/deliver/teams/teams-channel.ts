// Microsoft Teams: a Workflows webhook (Adaptive Card) or a legacy Office 365 connector
// (MessageCard). Teams throttles at about 4 requests a second and answers 429 with Retry-After;
// a deleted workflow or connector answers 404 or 410.
import type { Channel, DeliveryResult } from '../channel.js';
import { postChatParts } from '../chat-parts.js';
import { originOf, scrubUrl } from '../chat-webhook.js';
import { digestRenderTime, digestTitle } from '../digest/digest.js';
import { splitTeamsDigest } from '../digest-split.js';
import { buildTeamsMessages } from './alert-card.js';
import type { TeamsFormat } from './cards.js';

/** A resolved Teams subscription: the webhook URL (its path and query are the credential) from the environment. */
export interface TeamsChannelOptions {
  readonly url: string;
  readonly format?: TeamsFormat;
}

/**
 * One card per alert, or its parts in order when it is over the size limit. A part that fails
 * stops the rest; the retry resends from that part on (ctx.parts records what was accepted).
 */
export function createTeamsChannel(options: TeamsChannelOptions): Channel {
  const label = originOf(options.url);
  const format = options.format ?? 'adaptive';
  const scrub = (s: string): string => scrubUrl(s, options.url);
  return {
    kind: 'teams',
    async send(alert, ctx): Promise<DeliveryResult> {
      if (label === null) return { status: 'failed', reason: 'teams target is not an http(s) URL' };
      return postChatParts(options.url, buildTeamsMessages(alert, ctx.clock.now(), format), ctx, `teams ${label}`, scrub);
    },
    async sendDigest(digest, ctx): Promise<DeliveryResult> {
      if (label === null) return { status: 'failed', reason: 'teams target is not an http(s) URL' };
      const parts = splitTeamsDigest(digest.alerts, digestRenderTime(digest), format, { title: digestTitle(digest) });
      return postChatParts(options.url, parts, ctx, `teams ${label} digest`, scrub);
    },
  };
}
