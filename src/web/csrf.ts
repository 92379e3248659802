// Signed double-submit CSRF tokens. Every browser gets a random `secwatch_csrf` cookie (HttpOnly,
// SameSite=Strict); each form carries HMAC(key, cookie) in a hidden field. A forged post from
// another site cannot read the cookie, so cannot compute the field, and is refused with 403.
import { randomBytes } from 'node:crypto';
import { sameSignature, sign } from './signing.js';

export const CSRF_COOKIE = 'secwatch_csrf';
export const CSRF_FIELD = 'csrf';

/** A fresh cookie value for a browser that has none. */
export function newCsrfSecret(): string {
  return randomBytes(24).toString('base64url');
}

/** The hidden-field value for forms shown to the holder of `secret`. */
export function csrfToken(key: Buffer, secret: string): string {
  return sign(key, 'csrf', secret);
}

/** Does the posted field belong to the cookie? Both must be present. */
export function isValidCsrf(key: Buffer, secret: string | undefined, field: string | undefined): boolean {
  if (!secret || !field) return false;
  return sameSignature(field, csrfToken(key, secret));
}
