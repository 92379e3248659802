export type { Alert, Channel, ChannelKind, DeliveryContext, DeliveryResult } from './channel.js';
export { createChannel, type ChannelSettings } from './registry.js';
export { alertSubject, alertView, renderAlertHtml, renderAlertText, type AlertView } from './render.js';
export { createEmailChannel, messageIdFor, safeAlertId, type EmailChannelOptions, type EmailTransport } from './email/email-channel.js';
export { createWebhookChannel, parseRetryAfter, MAX_RETRY_AFTER_MS, type WebhookChannelOptions } from './webhook/webhook-channel.js';
export { buildWebhookPayload, type WebhookEventType, type WebhookMatch, type WebhookPayload } from './webhook/payload.js';
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
