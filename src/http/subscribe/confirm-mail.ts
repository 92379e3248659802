// The double opt-in mail (RFC 5321 via Nodemailer), sent through the transport alert emails use.
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTransport, type SendMailOptions } from 'nodemailer';
import type { EmailTransport } from '../../deliver/email/email-channel.js';
import { html, page } from '../pages.js';

export interface ConfirmMail {
  readonly from: string;
  readonly to: string;
  readonly confirmUrl: string;
  readonly title: string;
  readonly date: Date;
  /** Names the outbox file (offline transport). */
  readonly subscriptionId: string;
}

/** Send the "confirm your subscription" mail; throws on failure (the API answers 502 and nothing is activated). */
export async function sendConfirmMail(transport: EmailTransport, mail: ConfirmMail): Promise<void> {
  const text = [
    `Someone (hopefully you) asked to receive ${mail.title} security alerts at ${mail.to}.`,
    '',
    'To confirm, open this link and press the button:',
    mail.confirmUrl,
    '',
    'If you did not ask for this, ignore this mail: nothing will be sent to you.',
  ].join('\n');
  const message: SendMailOptions = {
    from: mail.from,
    to: mail.to,
    subject: `Confirm your ${mail.title} subscription`,
    text,
    html: page(
      `Confirm your ${mail.title} subscription`,
      html`<p>Someone (hopefully you) asked to receive ${mail.title} security alerts at ${mail.to}.</p>
<p><a href="${mail.confirmUrl}">Confirm the subscription</a></p><p>If you did not ask for this, ignore this mail: nothing will be sent to you.</p>`,
    ),
    date: mail.date,
    headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' },
  };
  const dkim = transport.dkim ? { dkim: transport.dkim } : {};
  if (transport.kind === 'smtp') {
    const smtp = createTransport({ url: transport.url, connectionTimeout: 30_000, socketTimeout: 60_000, disableFileAccess: true, disableUrlAccess: true, ...dkim });
    try {
      await smtp.sendMail(message);
    } finally {
      smtp.close();
    }
    return;
  }
  const stream = createTransport({ streamTransport: true, buffer: true, disableFileAccess: true, disableUrlAccess: true, ...dkim });
  const info = await stream.sendMail(message);
  await mkdir(transport.dir, { recursive: true });
  const file = join(transport.dir, `confirm-${mail.subscriptionId}.eml`);
  await writeFile(`${file}.tmp`, info.message as Buffer);
  await rename(`${file}.tmp`, file);
}
