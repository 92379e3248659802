// DKIM signing (RFC 6376) checked by an independent verifier (mailauth) against a key generated
// here, with the public key served by an in-test DNS resolver.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dkimVerify } from 'mailauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/load.js';
import type { DeliveryContext } from '../../src/deliver/channel.js';
import { createEmailChannel } from '../../src/deliver/email/email-channel.js';
import { createHttpClient } from '../../src/net/http-client.js';
import { fixedClock } from '../../src/util/clock.js';
import { silentLogger } from '../../src/util/logger.js';
import { makeAlert } from '../helpers/alert-factory.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.js';

const DOMAIN = 'alerts.example.org';
const SELECTOR = 'sw2025';
const { privateKey, publicKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'der' },
});
const TXT = `v=DKIM1; k=rsa; p=${publicKey.toString('base64')}`;

/** DNS as the verifier sees it: only our selector record exists. */
const resolver = (name: string, type: string): Promise<string[][]> =>
  type === 'TXT' && name === `${SELECTOR}._domainkey.${DOMAIN}`
    ? Promise.resolve([[TXT]])
    : Promise.reject(Object.assign(new Error(`no ${type} record for ${name}`), { code: 'ENOTFOUND' }));

let sink: SmtpSink;
let dir: string;
const http = createHttpClient({ timeoutMs: 1_000, maxBytes: 1024, maxRedirects: 0, userAgent: 't' });
const ctx: DeliveryContext = { http, clock: fixedClock('2025-08-08T09:00:00Z'), log: silentLogger };

beforeAll(async () => {
  sink = await startSmtpSink();
  dir = mkdtempSync(join(tmpdir(), 'secwatch-dkim-'));
});
afterAll(async () => {
  await sink.close();
  await http.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The DKIM key as `secwatch` resolves it from config and environment. */
function dkimFrom(env: Record<string, string>) {
  const config = resolveConfig({ email: { from: `secwatch <secwatch@${DOMAIN}>`, dkim: { domain: DOMAIN, selector: SELECTOR } } }, { env, baseDir: dir });
  return config.dkim;
}

async function sendSigned(dkim: ReturnType<typeof dkimFrom>): Promise<string> {
  const before = sink.messages.length;
  const channel = createEmailChannel({ from: `secwatch <secwatch@${DOMAIN}>`, to: ['oncall@example.org'], transport: { kind: 'smtp', url: sink.url, ...(dkim ? { dkim } : {}) } });
  try {
    expect((await channel.send(makeAlert(), ctx)).status).toBe('sent');
  } finally {
    await channel.close?.();
  }
  expect(sink.messages).toHaveLength(before + 1);
  return sink.messages.at(-1)!.raw;
}

describe('DKIM signing', () => {
  it('signs with the key from SECWATCH_DKIM_PRIVATE_KEY, and the signature verifies', async () => {
    const raw = await sendSigned(dkimFrom({ SECWATCH_DKIM_PRIVATE_KEY: privateKey }));
    expect(raw).toMatch(/^DKIM-Signature: /m);
    const { results } = await dkimVerify(Buffer.from(raw), { resolver });
    expect(results).toHaveLength(1);
    expect(results[0]?.status.result).toBe('pass');
    expect(results[0]?.signingDomain).toBe(DOMAIN);
    expect(results[0]?.selector).toBe(SELECTOR);
    // The signature covers what a reader trusts: who sent it and what it says.
    const h = /^DKIM-Signature: [\s\S]*?\bh=([^;]+);/m.exec(raw)?.[1]?.replace(/\s+/g, '').toLowerCase().split(':') ?? [];
    expect(h).toEqual(expect.arrayContaining(['from', 'subject', 'date', 'message-id']));
  });

  it('signs with the key file named by SECWATCH_DKIM_PRIVATE_KEY_FILE; a changed body no longer verifies', async () => {
    const file = join(dir, 'dkim.pem');
    writeFileSync(file, privateKey);
    const raw = await sendSigned(dkimFrom({ SECWATCH_DKIM_PRIVATE_KEY_FILE: file }));
    expect((await dkimVerify(Buffer.from(raw), { resolver })).results[0]?.status.result).toBe('pass');
    // Someone moves the deadline in transit: the body hash no longer matches.
    const tampered = raw.replace('APPLY BY 2025-08-11', 'APPLY BY 2025-12-11');
    expect(tampered).not.toBe(raw);
    // mailauth reports a body-hash mismatch as "neutral" (RFC 6376 §6.1.3), never "pass".
    const after = (await dkimVerify(Buffer.from(tampered), { resolver })).results[0]?.status;
    expect(after?.result).not.toBe('pass');
    expect(after?.comment ?? '').toMatch(/body hash/i);
  });

  it('sends unsigned mail when DKIM is not configured', async () => {
    const raw = await sendSigned(undefined);
    expect(raw).not.toMatch(/^DKIM-Signature:/im);
  });

  it('refuses a DKIM config without a key, naming the variables', () => {
    expect(() => dkimFrom({})).toThrow(/SECWATCH_DKIM_PRIVATE_KEY/);
    expect(() => dkimFrom({ SECWATCH_DKIM_PRIVATE_KEY: 'not a key' })).toThrow(/not a PEM private key/);
  });
});
