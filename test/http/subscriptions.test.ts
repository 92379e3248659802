import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import ICAL from 'ical.js';
import Parser from 'rss-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { resolveConfig } from '../../src/config/load.js';
import { createMetrics } from '../../src/http/metrics.js';
import { buildServer } from '../../src/http/server.js';
import { runCycle } from '../../src/pipeline/index.js';
import { fixedClock } from '../../src/util/clock.js';
import { silentLogger } from '../../src/util/logger.js';
import { corpusPath } from '../helpers/corpus.js';
import { closedPort } from '../helpers/http-server.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.js';

// Subscribing by email end to end, against the real server on 127.0.0.1 and a real SMTP server:
// double opt-in, alerts with RFC 8058 headers, personal feeds, one-click unsubscribe.

const TOKEN = 'test-admin-token-subs-41c2';
const SUBSCRIBE_MAX = 4;
const ADDRESS = "o'hara&co@example.org"; // quote and ampersand: every page must escape them
const auth = { authorization: `Bearer ${TOKEN}` };

interface KevEntry { cveID: string; vendorProject: string; product: string; dateAdded: string; dueDate: string }
const catalog = (date: string): KevEntry[] =>
  (JSON.parse(readFileSync(corpusPath(`kev/known_exploited_vulnerabilities.${date}.json`), 'utf8')) as { vulnerabilities: KevEntry[] }).vulnerabilities;
const OLD = catalog('2025-08-21');
const ofbiz = OLD.filter((v) => v.vendorProject === 'Apache' && v.product === 'OFBiz');

/** Apply-by of a KEV entry matched by an untested item: the earlier of its dueDate and msrc-classic important (1 month after listing). */
function expectedApplyBy(v: KevEntry): string {
  const month = new Date(`${v.dateAdded}T00:00:00Z`);
  month.setUTCMonth(month.getUTCMonth() + 1);
  const classic = month.toISOString().slice(0, 10);
  return v.dueDate < classic ? v.dueDate : classic;
}

/** Raw message → unfolded headers and a QP-decoded body (enough for links made of [A-Za-z0-9_-/:.]). */
function readMail(raw: string): { header(name: string): string | undefined; body: string } {
  const [head = '', ...rest] = raw.split(/\r?\n\r?\n/);
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
  return {
    header: (name) => new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(unfolded)?.[1]?.trim(),
    body: rest.join('\n\n').replace(/=\r?\n/g, '').replace(/=3D/g, '='),
  };
}

let app: App;
const clock = fixedClock('2025-08-26T09:00:00Z');
let base: string;
let smtp: SmtpSink;
let kevFile: string;
let close: () => Promise<void>;
const toAddress = () => smtp.messages.filter((m) => m.to.includes(ADDRESS)).map((m) => readMail(m.raw));

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'secwatch-subs-'));
  kevFile = join(dir, 'kev.json');
  copyFileSync(corpusPath('kev/known_exploited_vulnerabilities.2025-08-21.json'), kevFile);
  writeFileSync(
    join(dir, 'inventory.yaml'),
    'items:\n  - { name: erp, vendor: Apache, product: OFBiz, instances: 2, collection: apps }\n  - { name: git build agents, vendor: Git, product: Git, instances: 12, collection: ci }\n',
  );
  smtp = await startSmtpSink();
  const port = await closedPort();
  const config = resolveConfig(
    {
      dataDir: dir,
      store: { url: 'sqlite::memory:' },
      sources: [{ id: 'cisa-kev', kind: 'kev', url: pathToFileURL(kevFile).href }],
      inventory: { files: [join(dir, 'inventory.yaml')] },
      feed: { limit: 2000 },
      email: { from: 'secwatch <alerts@secwatch.example.org>' },
      http: { publicUrl: `http://127.0.0.1:${port}`, rateLimit: { subscribeMax: SUBSCRIBE_MAX } },
    },
    { baseDir: dir, env: { SECWATCH_ADMIN_TOKEN: TOKEN, SECWATCH_SMTP_URL: smtp.url } },
  );
  app = await createApp(config, { clock, log: silentLogger });
  const built = buildServer({ ...app, metrics: createMetrics(app.store, app.sources) });
  base = await built.server.listen({ host: '127.0.0.1', port });
  close = async () => {
    // A test may leave a large body unread: the server would wait for that connection forever.
    built.server.server.closeAllConnections();
    await built.server.close();
    await app.close();
    await smtp.close();
  };
}, 120_000);

afterAll(async () => close(), 60_000);

describe('email subscriptions over HTTP and SMTP', () => {
  let token = '';

  it('asks for confirmation by mail; a GET of the link only shows a button, the POST activates', async () => {
    const res = await fetch(`${base}/subscriptions/email`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: ADDRESS }) });
    expect(res.status).toBe(202);
    const [mail] = toAddress();
    expect(mail?.header('Subject')).toMatch(/Confirm/);
    const link = new RegExp(`${base}/confirm/([A-Za-z0-9_-]{43})`).exec(mail?.body ?? '');
    expect(link, mail?.body).not.toBeNull();
    token = link![1]!;

    const page = await fetch(`${base}/confirm/${token}`);
    expect(page.status).toBe(200);
    const text = await page.text();
    expect(text).toContain('o&#39;hara&amp;co@example.org');
    expect(text).not.toContain(ADDRESS);
    expect(text).toMatch(/<form method="post" action="\/confirm\/[A-Za-z0-9_-]+">/);
    expect((await app.store.listSubscriptions()).map((s) => s.status)).toEqual(['pending']);
    expect((await fetch(`${base}/feeds/${token}.json`)).status).toBe(404);

    const confirmed = await fetch(`${base}/confirm/${token}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'confirm=1' });
    expect(confirmed.status).toBe(200);
    expect(await confirmed.text()).toContain(`/feeds/${token}.json`);
    expect((await app.store.listSubscriptions()).map((s) => s.status)).toEqual(['active']);
    expect((await fetch(`${base}/confirm/not-a-token-but-long-enough`)).status).toBe(404);
  });

  it('mails the subscriber its matched alerts, each with its own List-Unsubscribe link and One-Click', async () => {
    const summary = await runCycle(app);
    expect(summary.deliveries.failed).toBe(0);
    const alerts = toAddress().slice(1);
    const [sub] = await app.store.listSubscriptions();
    expect(alerts.map((m) => m.header('X-Secwatch-Alert-Id')).sort()).toEqual(ofbiz.map((v) => `${sub!.id}:kev:${v.cveID}:1`).sort());
    const links = alerts.map((m) => m.header('List-Unsubscribe'));
    for (const [i, m] of alerts.entries()) {
      expect(links[i]).toMatch(new RegExp(`^<${base}/unsubscribe/[A-Za-z0-9_-]{43}>$`));
      expect(m.header('List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    }
    expect(new Set(links).size).toBe(alerts.length);
  });

  it("serves the subscriber's feeds with only its matched items: JSON Feed, Atom and the apply-by calendar", async () => {
    const res = await fetch(`${base}/feeds/${token}.json`);
    expect(res.status).toBe(200);
    const feed = (await res.json()) as { items: { id: string; url?: string; title: string; _secwatch: { matched: string[] } }[] };
    expect(feed.items.map((i) => i.id).sort()).toEqual(ofbiz.map((v) => `kev:${v.cveID}`).sort());
    expect(feed.items.every((i) => i._secwatch.matched.join() === 'erp')).toBe(true);
    expect((await fetch(`${base}/feeds/${token}.json`, { headers: { 'if-none-match': res.headers.get('etag') ?? '' } })).status).toBe(304);

    const atom = await new Parser().parseString(await (await fetch(`${base}/feeds/${token}.atom`)).text());
    expect(atom.items.map((i) => i.title)).toEqual(feed.items.map((i) => i.title));

    const ics = await fetch(`${base}/feeds/${token}.ics`);
    expect(ics.headers.get('etag')).toBeTruthy();
    const events = new ICAL.Component(ICAL.parse(await ics.text()) as unknown[]).getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    expect(events).toHaveLength(ofbiz.length);
    for (const v of ofbiz) {
      const ev = events.find((e) => e.uid === `kev:${v.cveID}/apps/erp@secwatch`);
      expect(ev?.startDate.toString(), v.cveID).toBe(expectedApplyBy(v));
      expect(ev?.startDate.isDate).toBe(true);
      expect(ev?.component.getFirstPropertyValue('url')).toBe(feed.items.find((i) => i.id === `kev:${v.cveID}`)?.url);
    }
  });

  it('keeps other subscribers to their own filters', async () => {
    const make = async (body: unknown) =>
      ((await (await fetch(`${base}/subscriptions`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(body) })).json()) as { token: string }).token;
    const otherSource = await make({ channel: 'email', target: 'b@example.org', sources: ['debian'] });
    const everything = await make({ channel: 'email', target: 'c@example.org', matchedOnly: false });
    const noticesOnly = await make({ channel: 'email', target: 'd@example.org', matchedOnly: false, kinds: ['advance-notice'] });
    const items = async (t: string) => ((await (await fetch(`${base}/feeds/${t}.json`)).json()) as { items: { id: string }[] }).items.map((i) => i.id);
    expect(await items(otherSource)).toEqual([]);
    expect(await items(noticesOnly)).toEqual([]);
    // Every KEV entry is rated at least important, so "everything over important" is the whole catalog.
    expect((await items(everything)).sort()).toEqual(OLD.map((v) => `kev:${v.cveID}`).sort());
    for (const t of [otherSource, everything, noticesOnly]) {
      const form = new FormData();
      form.set('List-Unsubscribe', 'One-Click');
      expect((await fetch(`${base}/unsubscribe/${t}`, { method: 'POST', body: form })).status).toBe(200);
    }
  });

  it('unsubscribes by one-click POST only: a GET of the link shows a page and changes nothing', async () => {
    const link = /^<(.+)>$/.exec(toAddress()[1]?.header('List-Unsubscribe') ?? '')?.[1] ?? '';
    const page = await fetch(link);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<form method="post"/);
    expect((await app.store.listSubscriptions({ channel: 'email' })).find((s) => s.target === ADDRESS)?.status).toBe('active');

    const res = await fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    expect(res.status).toBe(200);
    expect((await app.store.listSubscriptions({ channel: 'email' })).find((s) => s.target === ADDRESS)?.status).toBe('unsubscribed');
    expect((await fetch(`${base}/feeds/${token}.json`)).status).toBe(410);
    // An old confirmation link does not bring it back.
    expect((await fetch(`${base}/confirm/${token}`, { method: 'POST' })).status).toBe(410);

    // New matched items (the 2025-08-25 catalog adds Git's CVE-2025-48384) reach nobody unsubscribed.
    const before = smtp.messages.length;
    copyFileSync(corpusPath('kev/known_exploited_vulnerabilities.2025-08-25.json'), kevFile);
    const summary = await runCycle(app);
    expect(summary.sources[0]).toMatchObject({ status: 'ok', advisories: { new: 3 } });
    expect(summary.deliveries.planned).toBe(0);
    expect(smtp.messages.length).toBe(before);
  });

  it('refuses a confirmation link older than 7 days', async () => {
    const res = await fetch(`${base}/subscriptions`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ channel: 'email', target: 'late@example.org', status: 'pending' }) });
    const { token: late } = (await res.json()) as { token: string };
    clock.set('2025-09-03T09:00:01Z');
    expect((await fetch(`${base}/confirm/${late}`, { method: 'POST' })).status).toBe(410);
    expect((await app.store.listSubscriptions({ status: 'pending' })).map((s) => s.target)).toContain('late@example.org');
    clock.set('2025-08-26T09:00:00Z');
    expect((await fetch(`${base}/confirm/${late}`, { method: 'POST' })).status).toBe(200);
  });

  it('rate-limits subscribing by email per client', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < SUBSCRIBE_MAX + 2; i++) {
      const res = await fetch(`${base}/subscriptions/email`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: `r${i}@example.org` }) });
      statuses.push(res.status);
      if (res.status === 429) expect(await res.json()).toMatchObject({ error: 'rate-limited' });
    }
    // One subscription was made in the first test: SUBSCRIBE_MAX in all, then 429.
    expect(statuses).toEqual([...Array<number>(SUBSCRIBE_MAX - 1).fill(202), 429, 429, 429]);
    expect((await fetch(`${base}/subscriptions/email`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"email":"x"}' })).status).toBe(429);
  });
});
