import { corpus } from './corpus.js';

// mbox archives built from corpus mails, as a list server writes them (mboxrd quoting).

export const OPENSSL_MAIL = 'mail/oss-security/2024-04-08-openssl-security-advisory.eml';
export const FORWARDED_DSA = 'mail/oss-security/2017-01-30-fw-dsa-3775-1-tcpdump.eml';
export const TAMPERED_MAIL = 'mail/tampered/2024-04-08-openssl-security-advisory.tampered.eml';

/** One mbox entry: separator line, the message with body lines /^>*From / quoted (mboxrd), closing blank line. */
export function mboxEntry(message: string | Buffer, sender = 'list@example.org'): string {
  const text = (typeof message === 'string' ? message : message.toString('latin1')).replace(/^(>*From )/gm, '>$1');
  return `From ${sender} Mon Apr  8 13:59:33 2024\n${text.endsWith('\n') ? text : `${text}\n`}\n`;
}

export function corpusMbox(files: readonly string[]): Buffer {
  return Buffer.from(files.map((f) => mboxEntry(corpus(f))).join(''), 'latin1');
}

/** A small mail of our own (for the parts of a test that need a message the corpus does not have). */
export function simpleMail(id: string, subject: string, body: string): string {
  return `From: someone@example.org\nTo: list@example.org\nSubject: ${subject}\nMessage-ID: <${id}>\nDate: Tue, 9 Apr 2024 10:00:00 +0000\n\n${body}`;
}
