import { pipeline, Transform, type Readable, type TransformCallback } from 'node:stream';
import zlib from 'node:zlib';

// undici's request() hands over the bytes as sent; fetch() used to decode them. These are the same
// rules fetch() applies (undici lib/web/fetch/index.js), so sources see what they saw before.

/** More codings than this is an attack on the decoder, not a document (as undici and curl limit it). */
const MAX_CODINGS = 5;

/** The decoded body of `raw` per its Content-Encoding; unknown codings leave the bytes as sent. */
export function decodedBody(raw: Readable, contentEncoding: string | undefined): Readable {
  const codings = contentEncoding ? contentEncoding.toLowerCase().split(',') : [];
  if (codings.length > MAX_CODINGS) {
    throw new Error(`too many content-encodings in response: ${codings.length}, maximum allowed is ${MAX_CODINGS}`);
  }
  const decoders: Transform[] = [];
  for (let i = codings.length - 1; i >= 0; i--) {
    const decoder = decoderFor((codings[i] ?? '').trim());
    if (!decoder) return raw;
    decoders.push(decoder);
  }
  if (decoders.length === 0) return raw;
  // pipeline destroys every stage when one fails or the reader stops early, so cutting the decoded
  // stream at maxBytes also ends the download.
  return pipeline([raw, ...decoders], () => undefined) as unknown as Readable;
}

function decoderFor(coding: string): Transform | undefined {
  // Lenient flushing, as curl and browsers do: some servers end their streams slightly wrong.
  const sync = { flush: zlib.constants.Z_SYNC_FLUSH, finishFlush: zlib.constants.Z_SYNC_FLUSH };
  if (coding === 'gzip' || coding === 'x-gzip') return zlib.createGunzip(sync);
  if (coding === 'deflate') return new SniffedInflate(sync);
  if (coding === 'br') {
    return zlib.createBrotliDecompress({ flush: zlib.constants.BROTLI_OPERATION_FLUSH, finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH });
  }
  return undefined;
}

/** "deflate" is zlib-wrapped by the RFC but raw in the wild: the first byte tells which. */
class SniffedInflate extends Transform {
  private inner: zlib.Inflate | zlib.InflateRaw | undefined;

  constructor(private readonly zlibOptions: zlib.ZlibOptions) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (!this.inner) {
      if (chunk.length === 0) return callback();
      const inner = (chunk[0]! & 0x0f) === 0x08 ? zlib.createInflate(this.zlibOptions) : zlib.createInflateRaw(this.zlibOptions);
      inner.on('data', (data: Buffer) => this.push(data));
      inner.on('error', (err) => this.destroy(err));
      this.inner = inner;
    }
    this.inner.write(chunk, callback);
  }

  override _flush(callback: TransformCallback): void {
    if (!this.inner) return callback();
    this.inner.once('end', () => callback());
    this.inner.end();
  }

  override _destroy(err: Error | null, callback: (error?: Error | null) => void): void {
    this.inner?.destroy();
    callback(err);
  }
}
