export type { Alert, Channel, ChannelKind, DeliveryContext, DeliveryResult } from './channel.js';
export { createChannel, type ChannelSettings } from './registry.js';
export { alertSubject, alertView, renderAlertHtml, renderAlertText, type AlertView } from './render.js';
export { createEmailChannel, messageIdFor, safeAlertId, type EmailChannelOptions, type EmailTransport } from './email/email-channel.js';
export { createWebhookChannel, parseRetryAfter, MAX_RETRY_AFTER_MS, type WebhookChannelOptions } from './webhook/webhook-channel.js';
export { buildWebhookPayload, eventType, type WebhookChange, type WebhookEventType, type WebhookMatch, type WebhookPayload } from './webhook/payload.js';
export { createTeamsChannel, type TeamsChannelOptions } from './teams/teams-channel.js';
export { buildTeamsMessages } from './teams/alert-card.js';
export { TEAMS_MAX_BYTES, type AdaptiveCardMessage, type MessageCard, type TeamsFormat, type TeamsPayload } from './teams/cards.js';
export { splitSlackDigest, splitTeamsDigest, type DigestOptions } from './digest-split.js';
export { chatOutcome, originOf, scrubUrl } from './chat-webhook.js';
export {
  signWebhook,
  verifyWebhook,
  type HeaderSource,
  type SignInput,
  type VerifyFailure,
  type VerifyOptions,
  type VerifyResult,
  type WebhookHeaders,
} from './webhook/standard-webhooks.js';
