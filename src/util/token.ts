import { randomBytes, timingSafeEqual } from 'node:crypto';
import { sha256Hex } from './hash.js';

/** An unguessable bearer token: 32 random bytes, base64url (43 characters, URL-safe). */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What the store keeps of a token: its SHA-256, so a copy of the database opens nothing. */
export function hashToken(token: string): string {
  return sha256Hex(token);
}

/** A store subscription id: `S` + 24 hex digits (upper-case first letter: never a config id). */
export function newSubscriptionId(): string {
  return `S${randomBytes(12).toString('hex')}`;
}

/** Constant-time comparison of a presented signature with the expected one (any lengths). */
export function sameSignature(presented: string, expected: string): boolean {
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
