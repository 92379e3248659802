import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { isZip, readZip, ZipError } from '../../src/util/zip.js';

const limits = { maxEntries: 3, maxTotalBytes: 1000, maxEntryBytes: 400 };
const json = (name: string) => name.endsWith('.json');

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

  it('skips an entry over the per-entry size, and refuses an archive over the total, before inflating', () => {
    const big = zipSync({ 'big.json': new Uint8Array(500), 'ok.json': strToU8('{}') });
    expect(readZip(big, limits, json)).toMatchObject({ entries: [{ name: 'ok.json' }], skipped: [{ name: 'big.json' }] });
    const total = zipSync({ '1.json': new Uint8Array(400), '2.json': new Uint8Array(400), '3.json': new Uint8Array(400) });
    expect(() => readZip(total, limits, json)).toThrow(/entries unpack to more than 1000 bytes/);
  });

  it('says corrupt for bytes that are not a zip', () => {
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
  });
});
