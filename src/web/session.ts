// The admin's login: the API token is checked once, then an HttpOnly cookie says "this browser
// showed it" until it expires. The cookie never holds the token itself, only a signed issue time.
import { sameSignature, sign } from './signing.js';

export { isAdminToken } from '../http/auth.js';

export const SESSION_COOKIE = 'secwatch_session';
/** How long a login lasts (seconds): a working day. */
export const SESSION_SECONDS = 12 * 3600;

/** A session cookie value for a login at `now`: `<issued ms>.<signature>`. */
export function newSession(key: Buffer, now: Date): string {
  const issued = String(now.getTime());
  return `${issued}.${sign(key, 'session', issued)}`;
}

/** Is this cookie value a session we issued that has not expired at `now`? */
export function isValidSession(key: Buffer, value: string | undefined, now: Date): boolean {
  const m = /^(\d{1,16})\.([A-Za-z0-9_-]+)$/.exec(value ?? '');
  if (!m) return false;
  const issued = Number(m[1]);
  const age = now.getTime() - issued;
  return age >= 0 && age < SESSION_SECONDS * 1000 && sameSignature(m[2]!, sign(key, 'session', m[1]!));
}
