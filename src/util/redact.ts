/** A URL safe to print: no userinfo, no query string (tokens live there), no fragment. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.protocol === 'file:') return u.href;
    u.username = '';
    u.password = '';
    const hadQuery = u.search !== '';
    u.search = '';
    u.hash = '';
    return hadQuery ? `${u.href}?…` : u.href;
  } catch {
    return '(invalid URL)';
  }
}

/**
 * A user-supplied endpoint safe to print: scheme, host and port only. The path of a Slack or
 * Teams webhook URL (and of many generic webhooks) is itself the credential.
 */
export function redactUserUrl(url: string): string {
  try {
    const u = new URL(url);
    return u.pathname === '/' && !u.search && !u.hash ? `${u.origin}/` : `${u.origin}/…`;
  } catch {
    return '(invalid URL)';
  }
}
