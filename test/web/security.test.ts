// Cookies, the admin session, CSRF tokens and template escaping.
import { describe, expect, it } from 'vitest';
import { parseCookies, serializeCookie } from '../../src/web/cookies.js';
import { csrfToken, isValidCsrf, newCsrfSecret } from '../../src/web/csrf.js';
import { renderPage } from '../../src/web/render.js';
import { isAdminToken, isValidSession, newSession, SESSION_SECONDS } from '../../src/web/session.js';
import { webSigningKey } from '../../src/web/signing.js';
import { deadlinesView } from '../../src/web/views/deadlines.js';
import { makeAdvisory } from '../helpers/advisory-factory.js';

const key = webSigningKey('admin-token-for-tests');

describe('cookies', () => {
  it('reads a Cookie header and writes HttpOnly SameSite=Strict cookies, Secure only when asked', () => {
    expect(parseCookies('a=1; b="x%20y"; junk; =v; a=2')).toEqual(new Map([['a', '1'], ['b', 'x y']]));
    expect(serializeCookie('s', 'v 1', { secure: false })).toBe('s=v%201; Path=/; HttpOnly; SameSite=Strict');
    expect(serializeCookie('s', 'v', { secure: true, maxAge: 0 })).toBe('s=v; Path=/; HttpOnly; SameSite=Strict; Secure; Max-Age=0');
  });
});

describe('admin session', () => {
  it('accepts the configured token only, and a session only while it is fresh and signed by us', () => {
    expect(isAdminToken('t0ken', 't0ken')).toBe(true);
    expect(isAdminToken('t0ken', 't0ke')).toBe(false);
    expect(isAdminToken(undefined, '')).toBe(false);
    const at = new Date('2025-09-10T08:00:00Z');
    const s = newSession(key, at);
    expect(isValidSession(key, s, new Date(at.getTime() + 1000))).toBe(true);
    expect(isValidSession(key, s, new Date(at.getTime() + SESSION_SECONDS * 1000))).toBe(false);
    expect(isValidSession(key, s, new Date(at.getTime() - 1000))).toBe(false);
    expect(isValidSession(webSigningKey('another-admin-token'), s, at)).toBe(false);
    const [issued, sig] = s.split('.');
    expect(isValidSession(key, `${Number(issued) + 1}.${sig}`, at)).toBe(false);
    expect(isValidSession(key, undefined, at)).toBe(false);
  });
});

describe('CSRF tokens', () => {
  it('bind the form field to the browser cookie', () => {
    const secret = newCsrfSecret();
    const token = csrfToken(key, secret);
    expect(isValidCsrf(key, secret, token)).toBe(true);
    expect(isValidCsrf(key, newCsrfSecret(), token)).toBe(false);
    expect(isValidCsrf(key, secret, undefined)).toBe(false);
    expect(isValidCsrf(key, undefined, token)).toBe(false);
    expect(isValidCsrf(key, secret, `${token}x`)).toBe(false);
  });
});

describe('templates', () => {
  it('escape data from advisories and inventory', () => {
    const evil = '<script>alert("x")</script>';
    const advisory = makeAdvisory({ id: 'X<1>', title: evil });
    const view = deadlinesView({
      matches: [{ advisoryId: 'X<1>', item: { name: `"><img src=x onerror=alert(1)>`, instances: 1, collection: 'c' }, reason: 'r', confidence: 'high', applyBy: '2025-09-01', applyByRule: evil }],
      advisories: new Map([[advisory.id, advisory]]),
      acknowledgements: [],
      today: '2025-09-10',
    });
    const html = renderPage('deadlines', { title: evil, current: 'deadlines', admin: true, csrf: 'tok"en' }, { ...view, ackAction: '/ui/acknowledge' });
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).toContain('value="tok&quot;en"');
    // The one script tag is ours, from our own path.
    expect(html.match(/<script/g)).toEqual(['<script']);
    expect(html).toContain('<script src="/ui/assets/secwatch.js" defer></script>');
  });
});
