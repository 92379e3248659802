// Signed acknowledgement links ("Mark applied" / "Not applicable") in alerts: the URL carries what
// it acknowledges and until when, with an HMAC-SHA256 over both (key: SECWATCH_LINK_SECRET), so
// the service needs no table of issued links and a changed or expired link is refused.
import { createHmac } from 'node:crypto';
import type { AckLinks, Alert } from '../deliver/channel.js';
import type { AckStatus } from '../model/subscription.js';
import { sameSignature } from '../util/token.js';

/** A link works this long after the alert was sent: longer than any apply-by window. */
export const ACK_LINK_TTL_MS = 90 * 86_400_000;
const VERSION = 'v1';

/** What a link acknowledges: one matched item of one advisory, as one subscription was told. */
export interface AckLinkClaim {
  readonly subscriptionId: string;
  readonly advisoryId: string;
  readonly itemCollection: string;
  readonly itemName: string;
  readonly status: AckStatus;
  /** Unix ms after which the link is refused. */
  readonly expiresAt: number;
}

export type AckLinkCheck =
  | { readonly outcome: 'valid'; readonly claim: AckLinkClaim }
  | { readonly outcome: 'expired'; readonly claim: AckLinkClaim }
  | { readonly outcome: 'invalid'; readonly reason: string };

/** `v1.<base64url JSON>.<base64url HMAC>`: the token in `/ack?t=<token>` (URL-safe as it is). */
export function signAckToken(claim: AckLinkClaim, secret: string): string {
  const body = Buffer.from(JSON.stringify([claim.subscriptionId, claim.advisoryId, claim.itemCollection, claim.itemName, claim.status, claim.expiresAt])).toString('base64url');
  return `${VERSION}.${body}.${mac(`${VERSION}.${body}`, secret)}`;
}

/** Check a token's signature (constant time), then its shape and expiry; never throws. */
export function verifyAckToken(token: string, secret: string, now: Date): AckLinkCheck {
  const [version, body, signature, ...rest] = token.split('.');
  if (version !== VERSION || !body || !signature || rest.length > 0) return { outcome: 'invalid', reason: 'not an acknowledgement link' };
  if (!sameSignature(signature, mac(`${version}.${body}`, secret))) return { outcome: 'invalid', reason: 'the signature does not match (the link was changed)' };
  let fields: unknown;
  try {
    fields = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return { outcome: 'invalid', reason: 'unreadable link' };
  }
  if (!Array.isArray(fields) || fields.length !== 6) return { outcome: 'invalid', reason: 'unreadable link' };
  const [subscriptionId, advisoryId, itemCollection, itemName, status, expiresAt] = fields as unknown[];
  if (
    typeof subscriptionId !== 'string' || typeof advisoryId !== 'string' || typeof itemCollection !== 'string' ||
    typeof itemName !== 'string' || (status !== 'applied' && status !== 'not-applicable') || typeof expiresAt !== 'number'
  ) {
    return { outcome: 'invalid', reason: 'unreadable link' };
  }
  const claim: AckLinkClaim = { subscriptionId, advisoryId, itemCollection, itemName, status, expiresAt };
  return now.getTime() > expiresAt ? { outcome: 'expired', claim } : { outcome: 'valid', claim };
}

/** Where links point and what signs them; links are made only when both are known. */
export interface AckLinkSettings {
  /** http.publicUrl, e.g. https://secwatch.example.org */
  readonly baseUrl: string | undefined;
  /** SECWATCH_LINK_SECRET */
  readonly secret: string | undefined;
  readonly now: Date;
}

/**
 * The alert with a "Mark applied" / "Not applicable" link pair per matched item, made at send time
 * (so a retry a week later still gets 90 days). Unchanged without a public URL or a secret.
 */
export function withAckLinks(alert: Alert, settings: AckLinkSettings): Alert {
  const { baseUrl, secret, now } = settings;
  if (!baseUrl || !secret || alert.matches.length === 0) return alert;
  const expiresAt = now.getTime() + ACK_LINK_TTL_MS;
  const base = baseUrl.replace(/\/+$/, '');
  const link = (itemCollection: string, itemName: string, status: AckStatus): string =>
    `${base}/ack?t=${signAckToken({ subscriptionId: alert.subscriptionId, advisoryId: alert.advisory.id, itemCollection, itemName, status, expiresAt }, secret)}`;
  const ackLinks: AckLinks[] = alert.matches.map((m) => ({
    itemName: m.item.name,
    itemCollection: m.item.collection,
    applied: link(m.item.collection, m.item.name, 'applied'),
    notApplicable: link(m.item.collection, m.item.name, 'not-applicable'),
  }));
  return { ...alert, ackLinks };
}

function mac(text: string, secret: string): string {
  return createHmac('sha256', secret).update(`secwatch-ack-link:${text}`).digest('base64url');
}
