import type { ResolvedSubscription } from '../config/load.js';
import type { Channel } from './channel.js';
import { createEmailChannel, type EmailTransport } from './email/email-channel.js';
import { createSlackChannel } from './slack/slack-channel.js';
import { createTeamsChannel } from './teams/teams-channel.js';
import { createWebhookChannel } from './webhook/webhook-channel.js';

export type { EmailTransport };

/** Process-wide delivery settings a channel needs beyond its subscription (from config, resolved in app.ts). */
export interface ChannelSettings {
  readonly emailFrom: string;
  readonly emailTransport: EmailTransport;
}

/** Subscription → channel; the exhaustive switch makes a new channel kind a compile error here. */
export function createChannel(sub: ResolvedSubscription, settings: ChannelSettings): Channel {
  switch (sub.channel) {
    case 'webhook':
      return createWebhookChannel({ url: sub.targetUrl, secret: sub.secrets });
    case 'email':
      return createEmailChannel({ from: settings.emailFrom, to: sub.to, transport: settings.emailTransport });
    case 'slack':
      return createSlackChannel({ url: sub.targetUrl });
    case 'teams':
      return createTeamsChannel({ url: sub.targetUrl, format: sub.format });
    default: {
      const never: never = sub;
      throw new TypeError(`unknown channel ${String((never as { channel?: unknown }).channel)}`);
    }
  }
}
