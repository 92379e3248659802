import { createHmac, randomBytes } from 'node:crypto';

export { sameSignature } from '../util/token.js';

/**
 * The key the web pages sign their cookies and form tokens with. Derived from the admin token
 * when there is one, so every replica behind a load balancer agrees and a restart keeps people
 * logged in; otherwise random per process (forms then last until the next restart).
 */
export function webSigningKey(adminToken: string | undefined): Buffer {
  return adminToken ? createHmac('sha256', adminToken).update('secwatch web signing key v1').digest() : randomBytes(32);
}

/** HMAC-SHA-256 of `purpose` and `value`, base64url: the purpose keeps a CSRF token from passing as a session. */
export function sign(key: Buffer, purpose: string, value: string): string {
  return createHmac('sha256', key).update(`${purpose}\u0000${value}`).digest('base64url');
}
