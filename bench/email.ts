// Email delivery: 1,000 alerts to a local SMTP server (smtp-server, as in test/helpers/smtp-sink.ts).
// Ours: the inline runner's deliver stage, deliverDue — per recorded delivery: read and claim it in
// the store (SQLite in memory), render subject/text/HTML, send through the email channel's pooled
// nodemailer transport, record it as sent. Baseline: nodemailer's pooled sendMail of the same
// messages rendered beforehand, all handed to the pool at once, same pool size.
// Target: ≥ 80 % of its rate.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTransport, type SendMailOptions } from 'nodemailer';
import { createApp } from '../src/app.js';
import { resolveConfig } from '../src/config/load.js';
import type { Alert } from '../src/deliver/channel.js';
import { messageIdFor } from '../src/deliver/email/email-channel.js';
import { alertSubject, renderAlertHtml, renderAlertText } from '../src/deliver/render.js';
import { deliverDue, recordAlerts } from '../src/pipeline/deliver-alerts.js';
import { silentLogger } from '../src/util/logger.js';
import { makeAlert, makeAdvisory } from '../test/helpers/alert-factory.js';
import { startSmtpSink } from '../test/helpers/smtp-sink.js';
import type { Benchmark } from './lib/benchmark.js';
import { summarise } from './lib/measure.js';

const ALERTS = 1_000;
/** Each run sends 1,000 mails (1–5 s here); three of each side, interleaved, after a warm-up. */
const ROUNDS = Number(process.env.BENCH_EMAIL_ROUNDS ?? 3);
const SUBSCRIPTION = 'ops-mail';
const FROM = 'secwatch <secwatch@bench.invalid>';
/** The email channel's pool size (src/deliver/email/email-channel.ts), used for the baseline too. */
const POOL_CONNECTIONS = 2;

interface Sample {
  readonly wall: number;
  /** CPU of this process (the SMTP server included: it runs here too), ms. */
  readonly cpu: number;
}

function startClock(): () => Sample {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  return () => {
    const wall = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    return { wall, cpu: (cpu.user + cpu.system) / 1000 };
  };
}

/** 1,000 distinct alerts (distinct CVE ids, so distinct keys and Message-IDs) for one round. */
function alertsFor(round: number): Alert[] {
  return Array.from({ length: ALERTS }, (_, i) => {
    const cve = `CVE-2099-${String(round * ALERTS + i).padStart(5, '0')}`;
    return makeAlert({ id: `${SUBSCRIPTION}.${cve}.r1`, subscriptionId: SUBSCRIPTION, advisory: makeAdvisory({ id: cve, cves: [cve] }) });
  });
}

const email: Benchmark = {
  name: 'email',
  describe: `${ALERTS.toLocaleString('en-US')} alerts to smtp-server on 127.0.0.1: our deliver stage vs nodemailer pooled sendMail of pre-rendered messages, median of ${ROUNDS} rounds`,
  async run() {
    const sink = await startSmtpSink();
    const dataDir = mkdtempSync(join(tmpdir(), 'secwatch-bench-email-'));
    const config = resolveConfig(
      {
        dataDir,
        store: { url: 'sqlite::memory:' },
        email: { from: FROM },
        subscriptions: [{ id: SUBSCRIPTION, channel: 'email', to: ['ops@bench.invalid'], minSeverity: 'low', matchedOnly: false }],
      },
      { baseDir: dataDir, env: { SECWATCH_SMTP_URL: sink.url } },
    );
    const app = await createApp(config, { log: silentLogger });
    const pool = createTransport({ url: sink.url, pool: true, maxConnections: POOL_CONNECTIONS, logger: false, disableFileAccess: true, disableUrlAccess: true });
    let round = 0;
    const ours = async (): Promise<Sample> => {
      await recordAlerts(app, alertsFor(round++)); // queued by the match stage in real life: not timed
      const before = sink.messages.length;
      const clock = startClock();
      const summary = await deliverDue(app);
      const ms = clock();
      if (summary.sent !== ALERTS || sink.messages.length - before !== ALERTS) {
        throw new Error(`ours: sent ${summary.sent}, sink got ${sink.messages.length - before}, expected ${ALERTS}`);
      }
      return ms;
    };
    const baseline = async (): Promise<Sample> => {
      const now = app.clock.now();
      const messages: SendMailOptions[] = alertsFor(round++).map((alert) => ({
        from: FROM,
        to: ['ops@bench.invalid'],
        subject: alertSubject(alert, now),
        text: renderAlertText(alert, now),
        html: renderAlertHtml(alert, now),
        messageId: messageIdFor(alert.id, FROM),
        date: now,
        headers: { 'X-Secwatch-Alert-Id': alert.id, 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' },
      }));
      const before = sink.messages.length;
      const clock = startClock();
      await Promise.all(messages.map((m) => pool.sendMail(m)));
      const ms = clock();
      if (sink.messages.length - before !== ALERTS) throw new Error(`baseline: sink got ${sink.messages.length - before}, expected ${ALERTS}`);
      return ms;
    };
    try {
      await baseline();
      await ours();
      const b: Sample[] = [];
      const o: Sample[] = [];
      for (let i = 0; i < ROUNDS; i++) {
        b.push(await baseline());
        o.push(await ours());
      }
      const tb = summarise(b.map((x) => x.wall));
      const to = summarise(o.map((x) => x.wall));
      const cpuB = summarise(b.map((x) => x.cpu)).median;
      const cpuO = summarise(o.map((x) => x.cpu)).median;
      const rate = (ms: number): number => (ALERTS * 1000) / ms;
      const ratio = to.median / tb.median;
      return [
        {
          case: `${ALERTS.toLocaleString('en-US')} alerts, one recipient each, pool of ${POOL_CONNECTIONS} connections`,
          baseline: { name: 'nodemailer pooled sendMail, pre-rendered', value: rate(tb.median), unit: 'mails/s' },
          ours: { value: rate(to.median), unit: 'mails/s' },
          ratio,
          target: '≥ 80 % of its rate (ratio ≤ 1.25×)',
          met: ratio <= 1.25,
          notes: [
            `per 1,000: ours ${to.median.toFixed(0)} ms (min ${to.min.toFixed(0)}, max ${to.max.toFixed(0)}), baseline ${tb.median.toFixed(0)} ms (min ${tb.min.toFixed(0)}, max ${tb.max.toFixed(0)})`,
            `CPU per 1,000 (SMTP server included): ours ${cpuO.toFixed(0)} ms, baseline ${cpuB.toFixed(0)} ms (ratio ${(cpuO / cpuB).toFixed(2)}×)`,
          ],
        },
      ];
    } finally {
      pool.close();
      await app.close();
      await sink.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
};

export default email;
