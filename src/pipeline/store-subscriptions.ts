// Subscriptions kept in the store (API, email double opt-in) as the pipeline sees them: filters
// for planning, and a channel per delivery.
import type { Config } from '../config/load.js';
import type { Channel, DeliveryResult } from '../deliver/channel.js';
import { createEmailChannel, type EmailTransport } from '../deliver/email/email-channel.js';
import { createSlackChannel } from '../deliver/slack/slack-channel.js';
import { createWebhookChannel } from '../deliver/webhook/webhook-channel.js';
import type { Subscription } from '../model/subscription.js';
import type { Store } from '../store/store.js';
import { hashToken, newToken } from '../util/token.js';
import type { Deps } from './deps.js';
import type { AlertTarget } from './plan-alerts.js';
import { WEB } from '../web/paths.js';

/** Active store subscriptions as planning targets (pending and unsubscribed ones get nothing). */
export async function activeStoreTargets(store: Store): Promise<AlertTarget[]> {
  return (await store.listSubscriptions({ status: 'active' })).map(toTarget);
}

export function toTarget(sub: Subscription): AlertTarget {
  const { minSeverity, matchedOnly, sources, kinds, remindBefore } = sub.settings;
  return { id: sub.id, minSeverity, matchedOnly, ...(sources ? { sources } : {}), ...(kinds ? { kinds } : {}), ...(remindBefore ? { remindBefore } : {}) };
}

/** `https://host/base/unsubscribe/<token>`: the link in List-Unsubscribe and on pages. */
export function publicLink(config: Config, path: string): string | undefined {
  const base = config.http.publicUrl;
  return base === undefined ? undefined : `${base.replace(/\/+$/, '')}${path}`;
}

/**
 * The channel for a store subscription, or undefined when there is no such subscription. Built
 * per delivery and closed after it, so no connection outlives the attempt. An email gets its own
 * fresh unsubscribe token (only its hash is stored), hence the RFC 8058 headers.
 */
export async function storeChannel(deps: Deps, subscriptionId: string): Promise<Channel | undefined> {
  const sub = await deps.store.getSubscription(subscriptionId);
  if (!sub) return undefined;
  /** Re-read (the subscriber may have left between planning and sending), build, use once, close. */
  async function withChannel(use: (channel: Channel) => Promise<DeliveryResult>): Promise<DeliveryResult> {
    const now = await deps.store.getSubscription(subscriptionId);
    if (now?.status !== 'active') return { status: 'failed', reason: `subscription ${subscriptionId} is ${now?.status ?? 'deleted'}` };
    const channel = await build(deps, now);
    if ('reason' in channel) return { status: 'failed', reason: channel.reason };
    try {
      return await use(channel);
    } finally {
      await channel.close?.();
    }
  }
  return {
    kind: sub.channel,
    send: (alert, ctx) => withChannel((channel) => channel.send(alert, ctx)),
    sendDigest: (digest, ctx) =>
      withChannel((channel) => channel.sendDigest?.(digest, ctx) ?? Promise.resolve({ status: 'failed', reason: `${channel.kind} cannot send digests` })),
  };
}

async function build(deps: Deps, sub: Subscription): Promise<Channel | { reason: string }> {
  switch (sub.channel) {
    case 'email': {
      const transport = storeEmailTransport(deps.config);
      if (!transport) return { reason: 'email.transport is smtp but SECWATCH_SMTP_URL is not set' };
      const token = newToken();
      const link = publicLink(deps.config, `/unsubscribe/${token}`);
      if (link) await deps.store.addSubscriptionToken(sub.id, hashToken(token), deps.clock.now());
      // RFC 8058: a one-click POST to the https link unsubscribes; a GET only shows a page.
      const headers = link ? { 'List-Unsubscribe': `<${link}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } : undefined;
      // The same token opens the subscriber's own settings page (src/web/): one credential per email.
      const footerLinks = link ? { unsubscribeUrl: link, settingsUrl: publicLink(deps.config, WEB.mine(token))! } : undefined;
      return createEmailChannel({ from: deps.config.email.from, to: [sub.target], transport, ...(headers ? { headers } : {}), ...(footerLinks ? { footerLinks } : {}) });
    }
    case 'webhook':
      if (!sub.settings.webhookSecret) return { reason: `subscription ${sub.id} has no webhook secret` };
      return createWebhookChannel({ url: sub.target, secret: sub.settings.webhookSecret });
    case 'slack':
      return createSlackChannel({ url: sub.target });
    default: {
      const never: never = sub.channel;
      return { reason: `unknown channel ${String(never)}` };
    }
  }
}

/** The email transport the config's subscriptions use; undefined when SMTP is chosen but not configured. */
export function storeEmailTransport(config: Config): EmailTransport | undefined {
  const dkim = config.dkim ? { dkim: config.dkim } : {};
  if (config.email.transport === 'outbox') return { kind: 'outbox', dir: config.paths.outboxDir, ...dkim };
  return config.smtpUrl ? { kind: 'smtp', url: config.smtpUrl, ...dkim } : undefined;
}
