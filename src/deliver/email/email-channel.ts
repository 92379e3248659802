// Email alerts over SMTP (RFC 5321; reply classes §4.2.1: 4yz transient, 5yz permanent) as a
// multipart/alternative text + HTML message (RFC 2046 §5.1.4), via Nodemailer: https://nodemailer.com/
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTransport, type NodemailerError, type SendMailOptions } from 'nodemailer';
import type { DkimKey } from '../../config/dkim.js';
import { describeError } from '../../errors.js';
import { sha256Hex } from '../../util/hash.js';
import type { Channel, DeliveryContext, DeliveryResult } from '../channel.js';
import { digestSubject, renderDigestHtml, renderDigestText } from '../digest/render-digest.js';
import { alertSubject, renderAlertHtml, renderAlertText } from '../render.js';
import { type FooterLinks, withHtmlFooter, withTextFooter } from './unsubscribe-footer.js';

/** `smtp`: a pooled connection to the URL (which may hold a password); `outbox`: .eml files for offline use. */
export type EmailTransport = ({ readonly kind: 'smtp'; readonly url: string } | { readonly kind: 'outbox'; readonly dir: string }) & {
  /** DKIM-sign every message (RFC 6376) with this key; nodemailer signs after the headers are final. */
  readonly dkim?: DkimKey;
};

/** One subscription's recipients; `from` and the transport are shared settings. */
export interface EmailChannelOptions {
  readonly from: string;
  readonly to: readonly string[];
  readonly transport: EmailTransport;
  /** Extra headers, e.g. List-Unsubscribe for a store subscriber (src/pipeline/store-subscriptions.ts). */
  readonly headers?: Readonly<Record<string, string>>;
  /** A store subscriber's unsubscribe and settings pages, linked in the text and HTML body. */
  readonly footerLinks?: FooterLinks;
}

/** Nodemailer codes for a connection that broke or never came up: worth another attempt. */
const TRANSIENT_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'EPROTOCOL', 'EMAXLIMIT']);
/** Filesystem trouble that may clear by itself (outbox). */
const TRANSIENT_FS = new Set(['ENOSPC', 'EMFILE', 'ENFILE', 'EBUSY', 'EAGAIN']);

interface Mailer {
  /** Hand the message over; resolves with the Message-ID used and any recipients the server refused. */
  send(message: SendMailOptions, id: string): Promise<{ messageId: string; rejected: readonly string[] }>;
  close(): void;
}

/** One channel per subscription; the same alert always yields the same Message-ID and outbox file name. */
export function createEmailChannel(options: EmailChannelOptions): Channel {
  const mailer = createMailer(options.transport);
  const scrub = scrubber(options.transport);
  const links = options.footerLinks;

  /** Hand one message over; the id names the .eml file and seeds the Message-ID. */
  async function deliver(id: string, subscriptionId: string, message: SendMailOptions, ctx: DeliveryContext): Promise<DeliveryResult> {
    let sent: { messageId: string; rejected: readonly string[] };
    try {
      sent = await mailer.send(message, id);
    } catch (err) {
      return fromMailError(err, scrub);
    }
    // Some recipients accepted: the alert is delivered, but the refused addresses need a human.
    if (sent.rejected.length > 0) {
      ctx.log.warn({ alertId: id, subscriptionId, rejected: sent.rejected }, 'SMTP server refused some recipients');
    }
    return { status: 'sent', remoteId: sent.messageId };
  }

  function headers(id: string): Record<string, string> {
    return {
      'X-Secwatch-Alert-Id': id,
      // RFC 3834: no vacation auto-replies to a robot (and Exchange's equivalent).
      'Auto-Submitted': 'auto-generated',
      'X-Auto-Response-Suppress': 'All',
      ...options.headers,
    };
  }

  return {
    kind: 'email',
    async send(alert, ctx): Promise<DeliveryResult> {
      const now = ctx.clock.now();
      const text = renderAlertText(alert, now);
      const html = renderAlertHtml(alert, now);
      const message: SendMailOptions = {
        from: options.from,
        to: [...options.to],
        subject: alertSubject(alert, now),
        text: links ? withTextFooter(text, links) : text,
        html: links ? withHtmlFooter(html, links) : html,
        messageId: messageIdFor(alert.id, options.from),
        date: now,
        headers: headers(alert.id),
        ...(alert.advisory.severity === 'critical' ? { priority: 'high' } : {}),
      };
      return deliver(alert.id, alert.subscriptionId, message, ctx);
    },
    async sendDigest(digest, ctx): Promise<DeliveryResult> {
      const message: SendMailOptions = {
        from: options.from,
        to: [...options.to],
        subject: digestSubject(digest),
        text: renderDigestText(digest, links),
        html: renderDigestHtml(digest, links),
        // The digest id, not the time: a resend after a crash is the same message to every client.
        messageId: messageIdFor(digest.id, options.from),
        date: ctx.clock.now(),
        headers: headers(digest.id),
      };
      return deliver(digest.id, digest.subscriptionId, message, ctx);
    },
    close() {
      mailer.close();
      return Promise.resolve();
    },
  };
}

/** `<alert-id@domain-of-from>`: deterministic, so a retried message is recognisably the same one. */
export function messageIdFor(alertId: string, from: string): string {
  const domain = /@([A-Za-z0-9.-]+)>?\s*$/.exec(from)?.[1] ?? 'secwatch.invalid';
  return `<${safeAlertId(alertId)}@${domain}>`;
}

/** The alert id when it is already a safe file name / Message-ID local part, else a slug plus a hash. */
export function safeAlertId(alertId: string): string {
  if (alertId.length <= 100 && /^[A-Za-z0-9]+(?:[._-][A-Za-z0-9]+)*$/.test(alertId)) return alertId;
  const slug = alertId.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 64);
  return `${slug || 'alert'}-${sha256Hex(alertId).slice(0, 16)}`;
}

function createMailer(transport: EmailTransport): Mailer {
  switch (transport.kind) {
    case 'smtp': {
      const pool = createTransport({
        url: transport.url,
        pool: true,
        maxConnections: 2,
        connectionTimeout: 30_000,
        greetingTimeout: 30_000,
        socketTimeout: 60_000,
        logger: false,
        disableFileAccess: true,
        disableUrlAccess: true,
        ...(transport.dkim ? { dkim: { ...transport.dkim } } : {}),
      });
      return {
        async send(message) {
          const info = await pool.sendMail(message);
          return { messageId: info.messageId, rejected: info.rejected ?? [] };
        },
        close: () => pool.close(),
      };
    }
    case 'outbox': {
      const stream = createTransport({
        streamTransport: true,
        buffer: true,
        disableFileAccess: true,
        disableUrlAccess: true,
        ...(transport.dkim ? { dkim: { ...transport.dkim } } : {}),
      });
      return {
        async send(message, id) {
          const info = await stream.sendMail(message);
          const file = join(transport.dir, `${safeAlertId(id)}.eml`);
          await mkdir(transport.dir, { recursive: true });
          // Write then rename: a reader of the outbox never sees half a message; a retry overwrites.
          await writeFile(`${file}.tmp`, info.message as Buffer);
          await rename(`${file}.tmp`, file);
          return { messageId: info.messageId, rejected: [] };
        },
        close: () => stream.close(),
      };
    }
    default: {
      const never: never = transport;
      throw new TypeError(`unknown email transport ${String((never as { kind?: unknown }).kind)}`);
    }
  }
}

/** SMTP 4yz and broken connections retry; 5yz (and anything else) fails with the server's words. */
function fromMailError(err: unknown, scrub: (s: string) => string): DeliveryResult {
  const e = err as NodemailerError;
  const detail = scrub(describeError(err));
  if (typeof e.responseCode === 'number') {
    // Nodemailer's `permanent` follows RFC 5321 (5yz except 503); fall back to the reply class.
    const permanent = e.permanent ?? e.responseCode >= 500;
    return permanent
      ? { status: 'failed', reason: `SMTP server refused the message (${e.responseCode}): ${detail}` }
      : { status: 'retry', reason: `SMTP server deferred the message (${e.responseCode}): ${detail}` };
  }
  const code = typeof e.code === 'string' ? e.code : '';
  if (TRANSIENT_CODES.has(code)) return { status: 'retry', reason: `SMTP connection failed (${code}): ${detail}` };
  if (TRANSIENT_FS.has(code)) return { status: 'retry', reason: `outbox not writable (${code}): ${detail}` };
  return { status: 'failed', reason: `email not sent${code ? ` (${code})` : ''}: ${detail}` };
}

/** Errors must never carry the SMTP password (or the URL that holds it). */
function scrubber(transport: EmailTransport): (s: string) => string {
  if (transport.kind !== 'smtp') return (s) => s;
  const secrets = [transport.url];
  try {
    const u = new URL(transport.url);
    if (u.password) secrets.push(u.password, decodeURIComponent(u.password));
  } catch {
    // An unparsable URL is still scrubbed as a whole.
  }
  const parts = secrets.filter((s) => s.length > 0).sort((a, b) => b.length - a.length);
  return (s) => parts.reduce((out, p) => out.split(p).join('[redacted]'), s);
}
