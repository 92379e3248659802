// Just enough of RFC 6265 for our three cookies. @fastify/cookie 11 needs cookie@2, whose engines
// require Node 22 (see package.json), so the two directions are written out here.

/** name → value of a Cookie request header; a malformed pair is skipped, never an error. */
export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    const name = part.slice(0, Math.max(eq, 0)).trim();
    if (eq < 0 || name === '') continue;
    const raw = part.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
    if (!out.has(name)) out.set(name, safeDecode(raw));
  }
  return out;
}

export interface CookieOptions {
  /** Set only over https: a cookie marked Secure is dropped by browsers on plain http. */
  readonly secure: boolean;
  /** Seconds; 0 deletes the cookie. Absent: a session cookie. */
  readonly maxAge?: number;
}

/** A Set-Cookie value: always HttpOnly, SameSite=Strict and Path=/ (no script reads them, no other site sends them). */
export function serializeCookie(name: string, value: string, options: CookieOptions): string {
  return [
    `${name}=${encodeURIComponent(value)}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Strict',
    ...(options.secure ? ['Secure'] : []),
    ...(options.maxAge === undefined ? [] : [`Max-Age=${options.maxAge}`]),
  ].join('; ');
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
