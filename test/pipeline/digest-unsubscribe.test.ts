// The unsubscribe link in the body of a store subscriber's email, single alert and digest alike:
// text and HTML carry the same https link as List-Unsubscribe, and that link opens a page that
// asks to confirm (a GET never unsubscribes; the page's POST does).
import { simpleParser } from 'mailparser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { resolveConfig } from '../../src/config/load.js';
import type { Alert } from '../../src/deliver/channel.js';
import { createMetrics } from '../../src/http/metrics.js';
import { buildServer } from '../../src/http/server.js';
import type { SubscriptionSettings } from '../../src/model/subscription.js';
import { deliverDue, recordAlerts } from '../../src/pipeline/deliver-alerts.js';
import { openStore, type Store } from '../../src/store/index.js';
import { deliveryKey } from '../../src/store/store.js';
import { fixedClock } from '../../src/util/clock.js';
import { silentLogger } from '../../src/util/logger.js';
import { hashToken, newToken } from '../../src/util/token.js';
import { makeAdvisory, makeAlert } from '../helpers/alert-factory.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.js';

const SUB = 'S0123456789ABCDEF01234567';
const clock = fixedClock('2026-03-28T10:05:00Z');
let store: Store;
let smtp: SmtpSink;
let app: App;

beforeEach(async () => {
  store = await openStore('sqlite::memory:');
  smtp = await startSmtpSink();
});
afterEach(async () => {
  await app.close();
  await Promise.all([store.close(), smtp.close()]);
});

async function start(settings: SubscriptionSettings): Promise<void> {
  const config = resolveConfig(
    { http: { publicUrl: 'https://secwatch.example.org/' }, email: { from: 'secwatch@example.org' } },
    { baseDir: '/tmp', env: { SECWATCH_SMTP_URL: smtp.url } },
  );
  app = await createApp(config, { store, clock, log: silentLogger });
  const at = clock.now().toISOString();
  await store.createSubscription({ id: SUB, channel: 'email', target: 'reader@example.org', settings, status: 'active', createdAt: at, updatedAt: at }, hashToken(newToken()));
}

function alert(n: number): Alert {
  const advisory = makeAdvisory({ id: `ADV-${n}`, title: `Advisory number ${n}`, severity: 'important', exploited: {} });
  return makeAlert({ id: deliveryKey(SUB, advisory.id, 1), subscriptionId: SUB, advisory });
}

/** The link in both parts must be the header's, lead to a confirm page that leaves the subscription active, and sit beside the settings link. */
async function checkLink(raw: string): Promise<void> {
  const mail = await simpleParser(raw);
  // Read from the raw message (unfolded): mailparser turns List-* headers into one structured `list` header.
  const header = /^List-Unsubscribe:\s*(.*)$/im.exec(raw.replace(/\r?\n[ \t]+/g, ' '))?.[1] ?? '';
  const link = /<(https:\/\/secwatch\.example\.org\/unsubscribe\/[^>]+)>/.exec(header)?.[1];
  expect(link).toBeDefined();
  expect(mail.text).toContain(`Unsubscribe (you will be asked to confirm): ${link}`);
  expect(String(mail.html)).toContain(`<a href="${link}"`);
  const token = link!.split('/').pop()!;
  expect((await store.findSubscriptionByToken(hashToken(token)))?.id).toBe(SUB);

  const { server } = buildServer({ ...app, metrics: createMetrics(app.store, app.sources) });
  try {
    const page = await server.inject({ method: 'GET', url: `/unsubscribe/${token}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<form');
    expect((await store.getSubscription(SUB))?.status).toBe('active');
    // The same token opens the subscriber's own settings page, linked beside it.
    const settings = `https://secwatch.example.org/ui/my/${token}`;
    expect(mail.text).toContain(`Your settings: ${settings}`);
    expect(String(mail.html)).toContain(`<a href="${settings}"`);
    const mine = await server.inject({ method: 'GET', url: `/ui/my/${token}` });
    expect(mine.statusCode).toBe(200);
    expect(mine.body).toContain('reader@example.org');
  } finally {
    await server.close();
  }
}

describe('unsubscribe link in the email body', () => {
  it('is in a single alert, text and HTML', async () => {
    await start({ minSeverity: 'low', matchedOnly: false });
    await recordAlerts(app, [alert(1)]);
    expect(await deliverDue(app)).toEqual({ sent: 1, retry: 0, failed: 0 });
    expect(smtp.messages).toHaveLength(1);
    await checkLink(smtp.messages[0]!.raw);
  });

  it('is in a digest, text and HTML', async () => {
    await start({ minSeverity: 'low', matchedOnly: false, delivery: { mode: 'digest', every: 'hourly' } });
    await recordAlerts(app, [alert(1), alert(2)]);
    expect(await deliverDue(app)).toEqual({ sent: 0, retry: 0, failed: 0 });
    clock.set('2026-03-28T11:00:00Z');
    expect(await deliverDue(app)).toEqual({ sent: 1, retry: 0, failed: 0 });
    expect(smtp.messages).toHaveLength(1);
    const mail = await simpleParser(smtp.messages[0]!.raw);
    expect(mail.subject).toContain('[DIGEST] 2 advisories');
    await checkLink(smtp.messages[0]!.raw);
  });
});
