import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Channel, DeliveryContext } from '../../src/deliver/channel.js';
import { createEmailChannel, messageIdFor } from '../../src/deliver/email/email-channel.js';
import { createHttpClient } from '../../src/net/http-client.js';
import { fixedClock } from '../../src/util/clock.js';
import { silentLogger } from '../../src/util/logger.js';
import { makeAdvisory, makeAlert } from '../helpers/alert-factory.js';

const FROM = 'secwatch <secwatch@alerts.example.org>';
const TO = ['oncall@example.org', 'patching@example.org'];

/** What the server answers; `null` accepts. */
let rejectRcpt: number | null = null;
let rejectData: number | null = null;
let inbox: { rcpt: string[]; raw: string }[] = [];
let server: SMTPServer;
let smtpUrl: string;

const clock = fixedClock('2025-08-08T09:00:00Z');
const http = createHttpClient({ timeoutMs: 1000, maxBytes: 1024, maxRedirects: 0, userAgent: 'test' });
const ctx: DeliveryContext = { http, clock, log: silentLogger };
const channels: Channel[] = [];
const channel = (transport: Parameters<typeof createEmailChannel>[0]['transport']): Channel => {
  const c = createEmailChannel({ from: FROM, to: TO, transport });
  channels.push(c);
  return c;
};

function smtpError(code: number): Error {
  return Object.assign(new Error(code >= 500 ? 'Mailbox unavailable' : 'Try again later'), { responseCode: code });
}

beforeAll(async () => {
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(_address, _session, callback) {
      callback(rejectRcpt === null ? null : smtpError(rejectRcpt));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (rejectData !== null) return callback(smtpError(rejectData));
        inbox.push({ rcpt: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  smtpUrl = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  await Promise.all(channels.splice(0).map(async (c) => c.close?.()));
  rejectRcpt = null;
  rejectData = null;
  inbox = [];
});

afterAll(async () => {
  await http.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('email channel over SMTP', () => {
  it('delivers a multipart text + HTML alert', async () => {
    const alert = makeAlert({ advisory: makeAdvisory({ title: 'Exchange <script>alert(1)</script> flaw' }) });
    const result = await channel({ kind: 'smtp', url: smtpUrl }).send(alert, ctx);
    expect(result).toEqual({ status: 'sent', remoteId: messageIdFor(alert.id, FROM) });

    expect(inbox).toHaveLength(1);
    const mail = parseMime(inbox[0]!.raw);
    expect(inbox[0]!.rcpt).toEqual(TO);
    expect(mail.headers.get('from')).toBe('secwatch <secwatch@alerts.example.org>');
    expect(mail.headers.get('to')).toBe('oncall@example.org, patching@example.org');
    expect(mail.headers.get('subject')).toBe('[CRITICAL] Exchange 2019: Exchange <script>alert(1)</script> flaw — apply by 2025-08-11');
    expect(mail.headers.get('message-id')).toBe('<ops-mail.CVE-2025-53786.r1@alerts.example.org>');
    expect(mail.headers.get('date')).toBe('Fri, 08 Aug 2025 09:00:00 +0000');
    expect(mail.headers.get('content-type')).toMatch(/^multipart\/alternative;/);

    const text = mail.parts.find((p) => p.type === 'text/plain')?.body ?? '';
    const html = mail.parts.find((p) => p.type === 'text/html')?.body ?? '';
    expect(text).toContain('APPLY BY 2025-08-11');
    expect(text).toContain('Exchange <script>alert(1)</script> flaw');
    expect(html).toContain('APPLY BY 2025-08-11');
    expect(html).toContain('Exchange &lt;script&gt;alert(1)&lt;/script&gt; flaw');
    expect(html).not.toContain('<script>');
  });

  it('sends a retry with the same Message-ID', async () => {
    const c = channel({ kind: 'smtp', url: smtpUrl });
    await c.send(makeAlert(), ctx);
    await c.send(makeAlert(), ctx);
    const ids = inbox.map((m) => parseMime(m.raw).headers.get('message-id'));
    expect(ids).toEqual(['<ops-mail.CVE-2025-53786.r1@alerts.example.org>', '<ops-mail.CVE-2025-53786.r1@alerts.example.org>']);
  });

  it.each([
    ['RCPT', 451, 'retry'],
    ['DATA', 451, 'retry'],
    ['RCPT', 550, 'failed'],
    ['DATA', 550, 'failed'],
  ] as const)('%s answered %i → %s', async (stage, code, status) => {
    if (stage === 'RCPT') rejectRcpt = code;
    else rejectData = code;
    const result = await channel({ kind: 'smtp', url: smtpUrl }).send(makeAlert(), ctx);
    expect(result.status).toBe(status);
    expect(result.status !== 'sent' && result.reason).toContain(String(code));
  });

  it('retries when the server cannot be reached, without revealing the password', async () => {
    const port = await closedPort();
    const result = await channel({ kind: 'smtp', url: `smtp://alerts:s3cr3t-pa55@127.0.0.1:${port}` }).send(makeAlert(), ctx);
    expect(result.status).toBe('retry');
    expect(JSON.stringify(result)).not.toContain('s3cr3t-pa55');
  });
});

describe('email channel to an outbox folder', () => {
  let dir: string;
  beforeAll(async () => {
    dir = join(await mkdtemp(join(tmpdir(), 'secwatch-outbox-')), 'nested', 'outbox');
  });
  afterAll(async () => {
    await rm(join(dir, '..', '..'), { recursive: true, force: true });
  });

  it('writes one .eml file named after the alert, creating the folder', async () => {
    const alert = makeAlert({ id: 'ops-mail/CVE-2025-53786@r1' });
    const result = await channel({ kind: 'outbox', dir }).send(alert, ctx);
    expect(result.status).toBe('sent');
    const files = await readdir(dir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^ops-mail-CVE-2025-53786-r1-[0-9a-f]{16}\.eml$/);
    const mail = parseMime(await readFile(join(dir, files[0]!), 'utf8'));
    expect(mail.headers.get('subject')).toContain('apply by 2025-08-11');
    expect(mail.parts.map((p) => p.type).sort()).toEqual(['text/html', 'text/plain']);
    expect(mail.parts.find((p) => p.type === 'text/plain')?.body).toContain('Exchange 2019 [mail] at dc1/mail');

    await channel({ kind: 'outbox', dir }).send(alert, ctx); // a retry overwrites, never duplicates
    expect(await readdir(dir)).toHaveLength(1);
  });
});

async function closedPort(): Promise<number> {
  const s = createNetServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

// A minimal MIME reader, enough for the messages Nodemailer writes (RFC 2045/2046/2047).
interface Mime {
  headers: Map<string, string>;
  parts: { type: string; body: string }[];
}

function parseMime(raw: string): Mime {
  const { headers, body } = splitEntity(raw);
  const boundary = /boundary="?([^";]+)"?/.exec(headers.get('content-type') ?? '')?.[1];
  const parts = boundary
    ? body
        .split(`--${boundary}`)
        .slice(1, -1)
        .map((chunk) => {
          const part = splitEntity(chunk.replace(/^\r?\n/, ''));
          return { type: (part.headers.get('content-type') ?? '').split(';')[0]!.trim(), body: decodeBody(part.body, part.headers.get('content-transfer-encoding')) };
        })
    : [];
  return { headers, parts };
}

function splitEntity(raw: string): { headers: Map<string, string>; body: string } {
  const at = raw.search(/\r?\n\r?\n/);
  const head = raw.slice(0, at).replace(/\r?\n[ \t]+/g, ' ');
  const headers = new Map<string, string>();
  for (const line of head.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    headers.set(line.slice(0, colon).toLowerCase(), decodeWords(line.slice(colon + 1).trim()));
  }
  return { headers, body: raw.slice(at).replace(/^\r?\n\r?\n/, '') };
}

function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?([QB])\?([^?]*)\?=/gi, (_m, enc: string, text: string) =>
      enc.toUpperCase() === 'B' ? Buffer.from(text, 'base64').toString('utf8') : decodeQp(text.replace(/_/g, ' ')),
    );
}

function decodeBody(body: string, encoding: string | undefined): string {
  switch ((encoding ?? '7bit').toLowerCase()) {
    case 'base64':
      return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    case 'quoted-printable':
      return decodeQp(body.replace(/=\r?\n/g, ''));
    default:
      return body;
  }
}

function decodeQp(text: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const hex = text[i] === '=' ? /^[0-9A-F]{2}/i.exec(text.slice(i + 1, i + 3)) : null;
    if (hex) {
      bytes.push(parseInt(hex[0], 16));
      i += 2;
    } else bytes.push(...Buffer.from(text[i]!, 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}
