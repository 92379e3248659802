import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { isZip, readZip, ZipError } from '../../src/util/zip.js';

const limits = { maxEntries: 3, maxTotalBytes: 1000, maxEntryBytes: 400 };
const json = (name: string) => name.endsWith('.json');

/** Every central-directory entry and local header declaring `size` unpacked bytes. */
function declare(zip: Uint8Array, size: number): Uint8Array {
  const out = Uint8Array.prototype.slice.call(zip);
  const view = new DataView(out.buffer);
  for (let i = 0; i + 30 <= out.length; i++) {
    if (view.getUint32(i, true) === 0x02014b50) view.setUint32(i + 24, size, true);
    if (view.getUint32(i, true) === 0x04034b50) view.setUint32(i + 22, size, true);
  }
  return out;
}

describe('readZip', () => {
  it('reads the accepted entries in archive order, never directories', () => {
    const zip = zipSync({ 'a/': new Uint8Array(), 'a/1.json': strToU8('{"n":1}'), 'b.txt': strToU8('skip'), '2.json': strToU8('{"n":2}') });
    expect(isZip(zip)).toBe(true);
    const { entries, skipped } = readZip(zip, limits, json);
    expect(entries.map((e) => [e.name, new TextDecoder().decode(e.body)])).toEqual([
      ['a/1.json', '{"n":1}'],
      ['2.json', '{"n":2}'],
    ]);
    expect(skipped).toEqual([]);
  });

  it('refuses more accepted entries than allowed, counting only accepted ones', () => {
    const four = Object.fromEntries([1, 2, 3, 4].map((i) => [`${i}.json`, strToU8('{}')]));
    expect(() => readZip(zipSync(four), limits, json)).toThrow(new ZipError('too-many-entries', 'more than 3 entries'));
    const three = Object.fromEntries([1, 2, 3].map((i) => [`${i}.json`, strToU8('{}')]));
    expect(readZip(zipSync({ ...three, 'x.txt': strToU8(''), 'y.txt': strToU8('') }), limits, json).entries).toHaveLength(3);
  });

  it('skips an entry over the per-entry size, and refuses an archive over the total, counting inflated bytes', () => {
    const big = zipSync({ 'big.json': new Uint8Array(500), 'ok.json': strToU8('{}') });
    expect(readZip(big, limits, json)).toEqual({ entries: [{ name: 'ok.json', body: strToU8('{}') }], skipped: [{ name: 'big.json', reason: 'unpacks to more than the 400 bytes allowed per entry' }] });
    const total = zipSync({ '1.json': new Uint8Array(400), '2.json': new Uint8Array(400), '3.json': new Uint8Array(400) });
    expect(() => readZip(total, limits, json)).toThrow(new ZipError('too-large', 'entries unpack to more than 1000 bytes (the limit); a zip bomb or a bigger archive than expected'));
    // Stored (not deflated) entries count the same way.
    expect(readZip(zipSync({ 'big.json': new Uint8Array(500) }, { level: 0 }), limits, json).skipped).toEqual([{ name: 'big.json', reason: 'unpacks to more than the 400 bytes allowed per entry' }]);
  });

  it('never trusts declared sizes: a small claim inflating to more is stopped at the limit, a huge claim inflating to little is read', () => {
    const zip = zipSync({ 'a.json': new Uint8Array(300), 'b.json': new Uint8Array(300), 'c.json': new Uint8Array(300), 'd.json': new Uint8Array(300) });
    expect(() => readZip(declare(zip, 10), { ...limits, maxEntries: 4 }, json)).toThrow(/entries unpack to more than 1000 bytes/);
    const one = zipSync({ 'a.json': strToU8('{"n":1}') });
    expect(readZip(declare(one, 0xfffffff0), limits, json).entries).toEqual([{ name: 'a.json', body: strToU8('{"n":1}') }]);
    expect(readZip(declare(zipSync({ 'a.json': new Uint8Array(401) }), 1), limits, json).skipped).toEqual([{ name: 'a.json', reason: 'unpacks to more than the 400 bytes allowed per entry' }]);
  });

  it('reads entries written with a data descriptor (no sizes in the local header, as Go writes them) from the central directory', () => {
    const zip = Uint8Array.prototype.slice.call(zipSync({ 'x/1.json': strToU8('{"n":1}'), 'x/2.json': strToU8('{"n":2}') }));
    const view = new DataView(zip.buffer);
    for (let i = 0; i + 30 <= zip.length; i++) {
      if (view.getUint32(i, true) !== 0x04034b50) continue;
      view.setUint16(i + 6, view.getUint16(i + 6, true) | 8, true);
      for (const field of [14, 18, 22]) view.setUint32(i + field, 0, true); // crc, compressed, uncompressed
    }
    expect(readZip(zip, limits, json).entries.map((e) => new TextDecoder().decode(e.body))).toEqual(['{"n":1}', '{"n":2}']);
  });

  it('reads every entry of an archive past 65,535 entries whose end record holds the count modulo 65,536 (fflate writes no ZIP64)', () => {
    const files = Object.fromEntries(Array.from({ length: 65_537 }, (_, i) => [`${i}.json`, new Uint8Array(0)]));
    const zip = zipSync(files, { level: 0 });
    expect(new DataView(zip.buffer, zip.byteOffset).getUint16(zip.length - 22 + 10, true)).toBe(1);
    const read = readZip(zip, { maxEntries: 70_000, maxTotalBytes: 1, maxEntryBytes: 1 }, json);
    expect(read.entries).toHaveLength(65_537);
    expect(read.entries.at(-1)?.name).toBe('65536.json');
  });

  it('skips and names a damaged or encrypted entry, reading the others', () => {
    const zip = Uint8Array.prototype.slice.call(zipSync({ 'bad.json': strToU8('{"a":"'.padEnd(200, 'x')), 'ok.json': strToU8('{}') }));
    const view = new DataView(zip.buffer);
    // bad.json comes first: scramble the deflate data right after its local header and name.
    const start = 30 + view.getUint16(26, true) + view.getUint16(28, true);
    zip.fill(0xff, start, start + 4);
    const read = readZip(zip, limits, json);
    expect(read.entries.map((e) => e.name)).toEqual(['ok.json']);
    expect(read.skipped).toHaveLength(1);
    expect(read.skipped[0]).toMatchObject({ name: 'bad.json' });
    expect(read.skipped[0]?.reason).toMatch(/^damaged: cannot be inflated/);
    const encrypted = Uint8Array.prototype.slice.call(zipSync({ 'e.json': strToU8('{}') }));
    const ev = new DataView(encrypted.buffer);
    for (let i = 0; i + 46 <= encrypted.length; i++) if (ev.getUint32(i, true) === 0x02014b50) ev.setUint16(i + 8, ev.getUint16(i + 8, true) | 1, true);
    expect(readZip(encrypted, limits, json).skipped).toEqual([{ name: 'e.json', reason: 'encrypted; not read' }]);
  });

  it('says corrupt for bytes that are not a zip, or whose directory points outside them', () => {
    expect(isZip(strToU8('{"id":1}'))).toBe(false);
    const err: unknown = (() => {
      try {
        readZip(strToU8('PK\u0003\u0004 and then nothing'), limits, json);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ZipError);
    expect((err as ZipError).kind).toBe('corrupt');
    expect((err as ZipError).message).toBe('not a readable zip archive: no end of central directory record');
    const zip = Uint8Array.prototype.slice.call(zipSync({ 'a.json': strToU8('{}') }));
    const view = new DataView(zip.buffer);
    view.setUint32(zip.length - 22 + 16, zip.length, true); // the directory's offset: past the end
    expect(() => readZip(zip, limits, json)).toThrow(new ZipError('corrupt', 'not a readable zip archive: the central directory lies outside the archive'));
  });
});
