import { describe, expect, it } from 'vitest';
import { ParseError } from '../../src/errors.js';
import type { RawDocument } from '../../src/model/raw-document.js';
import { parseCvrf } from '../../src/parse/index.js';
import { parseCvrfOffThread } from '../../src/parse/cvrf/off-thread.js';
import { OFF_THREAD_BYTES, parseCvrfInline } from '../../src/parse/cvrf/to-advisory.js';
import { corpus, corpusDocument, CORPUS_FETCHED_AT } from '../helpers/corpus.js';

// Large CVRF months are read in a worker thread (src/parse/cvrf/off-thread.ts) so `serve` keeps
// answering; these tests hold the thread to the same answers as reading on the calling thread.

const cvrfDoc = (rel: string): RawDocument => corpusDocument(rel, { sourceId: 'msrc', sourceKind: 'cvrf' });
const bytes = (body: Uint8Array): RawDocument => ({ sourceId: 'msrc', sourceKind: 'cvrf', url: 'https://example.invalid/cvrf.xml', body, fetchedAt: CORPUS_FETCHED_AT });

async function rejection(promise: Promise<unknown>): Promise<ParseError> {
  const err: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ParseError);
  return err as ParseError;
}

describe('CVRF read off the main thread', () => {
  it.each(['msrc/cvrf-2025-Jan.xml', 'msrc/cvrf-2017-Mar.xml'])('%s: the same advisories as reading on this thread', async (rel) => {
    const doc = cvrfDoc(rel);
    expect(doc.body.length).toBeGreaterThanOrEqual(OFF_THREAD_BYTES); // parseCvrf takes the thread for it
    const here = await parseCvrfInline(doc);
    const there = await parseCvrfOffThread(doc);
    expect(here.length).toBeGreaterThan(100);
    expect(there).toStrictEqual(here);
    expect(await parseCvrf(doc)).toStrictEqual(here);
  });

  it('keeps the event loop turning while a month is read (not a timing: callbacks run before the answer)', async () => {
    let turns = 0;
    let turning = true;
    const spin = (): void => {
      turns++;
      if (turning) setImmediate(spin);
    };
    setImmediate(spin);
    const advisories = await parseCvrf(cvrfDoc('msrc/cvrf-2025-Jan.xml'));
    turning = false;
    expect(advisories.length).toBe(343);
    expect(turns).toBeGreaterThan(1);
  });

  it('reports a truncated month as the same ParseError, with its line, as reading on this thread', async () => {
    const whole = corpus('msrc/cvrf-2025-Jan.xml');
    const truncated = bytes(whole.subarray(0, Math.floor(whole.length * 0.6)));
    expect(truncated.body.length).toBeGreaterThanOrEqual(OFF_THREAD_BYTES);
    const here = await rejection(parseCvrfInline(truncated));
    const there = await rejection(parseCvrf(truncated));
    expect(there.message).toBe(here.message);
    expect(there.where).toBe(here.where);
    expect(there.message).toMatch(/not well-formed XML: unexpected end of document/);
    expect(there.where).toMatch(/^line \d+$/);
  });

  it('answers several documents in hand at once, each with its own result', async () => {
    const good = cvrfDoc('msrc/cvrf-2023-Jan.xml');
    const bad = bytes(new TextEncoder().encode(`<cvrfdoc>${' '.repeat(OFF_THREAD_BYTES)}<oops></cvrfdoc>`));
    const [a, b, c] = await Promise.allSettled([parseCvrfOffThread(good), parseCvrfOffThread(bad), parseCvrfOffThread(good)]);
    expect(a.status === 'fulfilled' && a.value.length).toBe(204);
    expect(b.status === 'rejected' && b.reason instanceof ParseError && b.reason.message).toMatch(/not well-formed XML/);
    expect(c).toStrictEqual(a);
  });
});
