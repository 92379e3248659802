// End to end in a real browser: Debian's headless Chromium (/usr/bin/chromium, never a downloaded
// one) driven by playwright-core against `secwatch serve` started as its own process on 127.0.0.1,
// after its first cycle over the KEV catalog, the inventory and the tampered CSAF document.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/http-server.js';
import { ADMIN_TOKEN, TAMPERED_PATH, inventoryHits, webFixture, type WebFixture } from './web-fixture.js';

const CHROMIUM = '/usr/bin/chromium';
const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const SHOTS = fileURLToPath(new URL('../../test-output/screenshots/', import.meta.url));
const present = existsSync(CHROMIUM);
const mustRun = process.env.CI === 'true' || process.env.CI === '1';
if (!present && !mustRun) {
  console.warn(`browser tests skipped: ${CHROMIUM} is absent (apt-get install chromium); under CI=true they run and fail instead`);
}

let fixture: WebFixture;
let serve: ChildProcess;
let base: string;
let browser: Browser;
let evil: TestServer;
const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };

/** Poll until `check` holds; the limit only stops a broken run from hanging (nothing about time is asserted). */
async function until(what: string, check: () => Promise<boolean>, ms = 90_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(`${base}${path}`, { ...init, headers: { ...auth, ...(init.body ? { 'content-type': 'application/json' } : {}) } });
  return (await res.json()) as T;
}

const matchedIds = () => [...new Set(inventoryHits().map((h) => `kev:${h.cveID}`))];

async function startServe(): Promise<string> {
  serve = spawn(process.execPath, ['--import', 'tsx', MAIN, 'serve', '--config', fixture.configFile], {
    env: { ...process.env, SECWATCH_ADMIN_TOKEN: ADMIN_TOKEN, SECWATCH_LOG_LEVEL: 'warn', REDIS_URL: '', SECWATCH_REDIS_URL: '' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  serve.stderr?.on('data', (c: Buffer) => (err += c.toString('utf8')));
  await until('secwatch serve to listen', () => Promise.resolve(/serving on http:\/\/127\.0\.0\.1:\d+/.test(err) || serve.exitCode !== null));
  const url = /serving on (http:\/\/127\.0\.0\.1:\d+)/.exec(err)?.[1];
  if (!url) throw new Error(`secwatch serve did not start: ${err}`);
  return url;
}

async function login(page: Page): Promise<void> {
  await page.goto(`${base}/`);
  await page.getByLabel('Admin token').fill(ADMIN_TOKEN);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(`${base}/`);
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${SHOTS}${name}.png`, fullPage: true });
}

// A browser and a child process under a busy parallel suite: a wider limit than the default per test.
describe.skipIf(!present && !mustRun)('web pages in Chromium against secwatch serve', { timeout: 90_000 }, () => {
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    fixture = await webFixture();
    base = await startServe();
    // The first cycle has run when every matched KEV advisory is matched and the tampered document is quarantined.
    await until('the first cycle', async () => {
      const [m, q] = await Promise.all([api<{ items: unknown[] }>('/advisories?matched=true&limit=1000'), api<{ quarantine: unknown[] }>('/quarantine')]);
      return m.items.length === matchedIds().length && q.quarantine.length === 1;
    });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    evil = await startServer((_req, res) => {
      // Another origin's page that posts an acknowledgement to secwatch on load, without the CSRF field.
      res.writeHead(200, { 'content-type': 'text/html' }).end(
        `<!doctype html><form id="f" method="post" action="${base}/ui/acknowledge"><input name="advisoryId" value="${matchedIds()[0]}"><input name="collection" value="ci"><input name="item" value="git build agents"><input name="status" value="applied"></form><script>document.getElementById('f').submit()</script>`,
      );
    });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await evil?.close();
    if (serve && serve.exitCode === null) {
      const exited = new Promise((r) => serve.once('exit', r));
      serve.kill('SIGTERM');
      await exited;
    }
    await fixture?.close();
  }, 60_000);

  it('lists the overdue KEV match first; acknowledging it removes it and records it in the store', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await login(page);
    const first = page.locator('li.deadline').first();
    const advisoryId = (await first.getAttribute('data-advisory'))!;
    const item = (await first.getAttribute('data-item'))!;
    // First: in the overdue group, a KEV advisory with the earliest due date of all the inventory's hits.
    const firstOverdue = page.locator('ol[data-group="overdue"] li.deadline').first();
    expect([await firstOverdue.getAttribute('data-advisory'), await firstOverdue.getAttribute('data-item')]).toEqual([advisoryId, item]);
    const earliest = inventoryHits().map((h) => h.dueDate).sort()[0]!;
    expect(inventoryHits().find((h) => `kev:${h.cveID}` === advisoryId)?.dueDate).toBe(earliest);
    expect(await first.locator('.tag.kev').count()).toBe(1);
    await shot(page, 'deadlines');

    await first.getByLabel('Note').fill('replaced by 14.1-47.46 in CHG-1207');
    await first.getByRole('button', { name: 'Acknowledge' }).click();
    await page.waitForURL(`${base}/`);
    expect(await page.locator(`li.deadline[data-advisory="${advisoryId}"][data-item="${item}"]`).count()).toBe(0);
    const acks = await api<{ acknowledgements: { advisoryId: string; itemName: string; status: string; note?: string }[] }>(`/acknowledgements?advisory=${encodeURIComponent(advisoryId)}`);
    expect(acks.acknowledgements).toMatchObject([{ advisoryId, itemName: item, status: 'applied', note: 'replaced by 14.1-47.46 in CHG-1207' }]);

    // Keyboard first: the skip link is the first stop; print hides the forms and navigation.
    await page.keyboard.press('Tab');
    expect(await page.evaluate<unknown>('document.activeElement && document.activeElement.textContent')).toBe('Skip to content');
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('form.ack').first().isVisible()).toBe(false);
    expect(await page.locator('header.top').isVisible()).toBe(false);
    expect(await page.locator('li.deadline').first().isVisible()).toBe(true);
    await page.emulateMedia({ media: 'screen' });

    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 });
    await phone.addCookies(await context.cookies());
    const small = await phone.newPage();
    await small.goto(`${base}/`);
    // Readable on a phone: nothing wider than the screen.
    // Tables scroll inside their own .scroll box; nothing else may be wider than the screen.
    // (Browser-side code as text: the project's TypeScript has no DOM types.)
    const wider = await small.evaluate<unknown>(
      "[...document.querySelectorAll('body *')].filter((e) => !e.closest('.scroll') && e.getBoundingClientRect().right > 391).map((e) => e.tagName.toLowerCase() + '.' + e.className)",
    );
    expect(await small.evaluate<unknown>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    expect(wider, 'elements wider than the phone screen').toEqual([]);
    await shot(small, 'deadlines-phone');
    await phone.close();

    await page.locator('li.deadline a.title').first().click();
    await page.waitForURL(/\/ui\/advisories\//);
    expect(await page.getByRole('heading', { name: 'Reported by' }).count()).toBe(1);
    await shot(page, 'advisory');
    await context.close();
  });

  it('refuses a forged form post from another site (no CSRF token) with 403 and records nothing', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await login(page);
    const before = (await api<{ acknowledgements: unknown[] }>('/acknowledgements')).acknowledgements.length;
    const response = page.waitForResponse((r) => r.url() === `${base}/ui/acknowledge`);
    await page.goto(`${evil.url}/`);
    expect((await response).status()).toBe(403);
    expect(await page.locator('h1').textContent()).toBe('Refused');
    expect((await api<{ acknowledgements: unknown[] }>('/acknowledgements')).acknowledgements.length).toBe(before);
    await context.close();
  });

  it('shows the sources and the quarantined tampered CSAF document with its reason', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await login(page);
    await page.getByRole('link', { name: 'Sources' }).click();
    await page.waitForURL(`${base}/ui/sources`);
    const row = page.locator('table.quarantine tbody tr').first();
    expect(await row.locator('td.url').textContent()).toContain(`${fixture.provider.url}${TAMPERED_PATH}`);
    const [q] = (await api<{ quarantine: { reason: string }[] }>('/quarantine')).quarantine;
    expect(q!.reason).toMatch(/^verify: require, got bad: /);
    expect(await row.textContent()).toContain(q!.reason);
    await shot(page, 'sources');
    await context.close();
  });

  it('a subscriber link shows only that subscriber, and saves their settings', async () => {
    const create = (target: string) =>
      api<{ subscription: { id: string }; token: string }>('/subscriptions', { method: 'POST', body: JSON.stringify({ channel: 'email', target, minSeverity: 'important' }) });
    const alice = await create('alice@example.org');
    const bob = await create('bob@example.org');
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${base}/ui/my/${alice.token}`);
    const text = (await page.locator('main').textContent())!;
    expect(text).toContain('alice@example.org');
    expect(text).not.toContain('bob@example.org');
    expect(await page.locator('header nav').count()).toBe(0);
    expect(await page.getByRole('link', { name: /calendar/ }).getAttribute('href')).toBe(`/feeds/${alice.token}.ics`);
    await page.getByLabel('Severity floor').selectOption('critical');
    await page.getByLabel('Delivery').selectOption('daily');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(/saved=1$/);
    expect(await page.getByRole('status').textContent()).toContain('saved');
    await shot(page, 'subscriber');
    const [a, b] = await Promise.all([api<{ settings: { minSeverity: string; delivery?: { every?: string } } }>(`/subscriptions/${alice.subscription.id}`), api<{ settings: { minSeverity: string } }>(`/subscriptions/${bob.subscription.id}`)]);
    expect(a.settings).toMatchObject({ minSeverity: 'critical', delivery: { every: 'daily' } });
    expect(b.settings.minSeverity).toBe('important');
    await context.close();
  });
});
