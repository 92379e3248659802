// https://api.slack.com/messaging/webhooks (incoming webhooks; errors: https://api.slack.com/messaging/webhooks#handling_errors)
import type { Channel, DeliveryResult } from '../channel.js';
import { chatOutcome, originOf, postChat, scrubUrl } from '../chat-webhook.js';
import { buildSlackMessage } from './payload.js';
import { postChatParts } from '../chat-parts.js';
import { digestRenderTime, digestTitle } from '../digest/digest.js';
import { splitSlackDigest } from '../digest-split.js';

/** Kept for callers of the skeleton's names: the helpers now live in chat-webhook.ts (shared with Teams). */
export { chatOutcome as slackOutcome, originOf, scrubUrl } from '../chat-webhook.js';

/** A resolved Slack subscription: the webhook URL (a secret: its path is the token) from the environment. */
export interface SlackChannelOptions {
  readonly url: string;
}

/** One Block Kit message per alert; the URL never appears in a reason, only its origin. */
export function createSlackChannel(options: SlackChannelOptions): Channel {
  const label = originOf(options.url);
  const scrub = (s: string): string => scrubUrl(s, options.url);
  return {
    kind: 'slack',
    async send(alert, ctx): Promise<DeliveryResult> {
      if (label === null) return { status: 'failed', reason: 'slack target is not an http(s) URL' };
      const now = ctx.clock.now();
      const posted = await postChat(options.url, JSON.stringify(buildSlackMessage(alert, now)), ctx, `slack ${label}`, scrub);
      return 'outcome' in posted ? posted.outcome : chatOutcome(posted.res, now, `slack ${label}`, scrub);
    },
    async sendDigest(digest, ctx): Promise<DeliveryResult> {
      if (label === null) return { status: 'failed', reason: 'slack target is not an http(s) URL' };
      const parts = splitSlackDigest(digest.alerts, digestRenderTime(digest), { title: digestTitle(digest) });
      return postChatParts(options.url, parts, ctx, `slack ${label} digest`, scrub);
    },
  };
}
