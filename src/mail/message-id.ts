import { sha256Hex } from '../util/hash.js';

/** The Message-ID header of a raw message ("<…>"), read without a full parse; undefined when absent. */
export function messageIdOf(raw: Uint8Array): string | undefined {
  const text = Buffer.from(raw.buffer, raw.byteOffset, Math.min(raw.byteLength, 64 * 1024)).toString('latin1');
  const header = text.split(/\r?\n\r?\n/)[0] ?? '';
  const m = /^message-id:\s*(<[^>\s]+>)/im.exec(header.replace(/\r?\n[ \t]+/g, ' '));
  return m?.[1];
}

/** How a message is recognised across polls: its Message-ID, else the hash of its bytes. */
export function messageKey(raw: Uint8Array): string {
  return messageIdOf(raw) ?? `sha256:${sha256Hex(raw)}`;
}
