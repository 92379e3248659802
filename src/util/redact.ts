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
