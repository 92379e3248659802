// Bodies past the size limit, gzip bombs in Content-Encoding, endless chunked answers, servers that
// hang or trickle: each ends in a typed error naming the source (FETCH_TOO_LARGE, FETCH_TIMEOUT),
// the neighbour in the same cycle is stored, and the body is streamed and cut — the server sees
// the connection closed long before it could send everything, so nothing was buffered whole.
import type { ServerResponse } from 'node:http';
import { createGzip } from 'node:zlib';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../helpers/http-server.js';
import { expectRefused, hostileCycle, type HostileRun } from './hostile-cycle.js';

const MB = 1024 * 1024;
const CHUNK = Buffer.alloc(64 * 1024, 0x20); // spaces: valid JSON whitespace, so only the size can stop it
let server: TestServer | undefined;
const runs: HostileRun[] = [];

afterEach(async () => {
  await server?.close();
  server = undefined;
});
afterAll(async () => {
  for (const r of runs) await r.app.close();
});

/** What the server managed to send before the client went away (or everything, `completed`). */
interface Sent {
  readonly sent: number;
  readonly completed: boolean;
}

/** Write `next()` chunks with backpressure until it returns null or the client closes the connection. */
function pump(res: ServerResponse, next: () => Buffer | null): Promise<Sent> {
  return new Promise((resolve) => {
    let sent = 0;
    let completed = false;
    res.on('close', () => resolve({ sent, completed }));
    const write = (): void => {
      for (;;) {
        const chunk = next();
        if (chunk === null) {
          completed = true;
          res.end();
          return;
        }
        sent += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', write);
      }
    };
    write();
  });
}

/** A server whose one route answers with `respond`; resolves `served` with what it sent. */
async function serve(respond: (res: ServerResponse) => Promise<Sent> | void): Promise<{ url: string; served: Promise<Sent> }> {
  let done: (s: Sent) => void = () => {};
  const served = new Promise<Sent>((r) => (done = r));
  server = await startServer((_req, res) => {
    const p = respond(res);
    if (p) void p.then(done);
  });
  return { url: `${server.url}/kev.json`, served };
}

async function cycle(url: string, extra: Record<string, unknown> = {}, raw: Record<string, unknown> = {}): Promise<HostileRun> {
  const run = await hostileCycle([{ id: 'hostile', kind: 'kev', url, ...extra }], raw);
  runs.push(run);
  return run;
}

describe('bodies past the size limit', () => {
  it('a 200 MB chunked body (no Content-Length) is cut at maxBytes while streaming', async () => {
    const total = 200 * MB;
    let left = total;
    const { url, served } = await serve((res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      return pump(res, () => (left <= 0 ? null : ((left -= CHUNK.length), CHUNK)));
    });
    const run = await cycle(url, { maxBytes: '1MB' });
    expectRefused(run.report('hostile'), 'FETCH_TOO_LARGE', /kev\.json: body is larger than the 1048576-byte limit/);
    const { sent, completed } = await served;
    expect(completed).toBe(false);
    // Socket buffers hold a few MB at most; 200 MB would mean the body was read whole.
    expect(sent).toBeLessThan(32 * MB);
  });

  it('an endless chunked body ends at maxBytes too', async () => {
    const { url, served } = await serve((res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      return pump(res, () => CHUNK);
    });
    const run = await cycle(url, { maxBytes: '256kB' });
    expectRefused(run.report('hostile'), 'FETCH_TOO_LARGE', /body is larger than the 262144-byte limit/);
    expect((await served).completed).toBe(false);
  });

  it('a declared Content-Length over the limit is refused before the body is read', async () => {
    const total = 50 * MB;
    let left = total;
    const { url, served } = await serve((res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(total) });
      return pump(res, () => (left <= 0 ? null : ((left -= CHUNK.length), CHUNK)));
    });
    const run = await cycle(url, { maxBytes: '1MB' });
    expectRefused(run.report('hostile'), 'FETCH_TOO_LARGE', /larger than the 1048576-byte limit/);
    const { sent, completed } = await served;
    expect(completed).toBe(false);
    expect(sent).toBeLessThan(32 * MB);
  });

  it('a gzip bomb (Content-Encoding: gzip, endless zeros) is cut at maxBytes decoded, and the server stops producing', async () => {
    let produced = 0;
    const zeros = Buffer.alloc(MB);
    const { url, served } = await serve((res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      const gzip = createGzip();
      gzip.pipe(res);
      return new Promise<Sent>((resolve) => {
        res.on('close', () => {
          gzip.destroy();
          resolve({ sent: produced, completed: false });
        });
        const feed = (): void => {
          while (!res.destroyed) {
            produced += zeros.length;
            if (!gzip.write(zeros)) return void gzip.once('drain', feed);
          }
        };
        feed();
      });
    });
    const run = await cycle(url, { maxBytes: '2MB' });
    expectRefused(run.report('hostile'), 'FETCH_TOO_LARGE', /body is larger than the 2097152-byte limit/);
    // 1 GB of zeros is ~1 MB of gzip: far past anything a buffered read would stop at.
    expect((await served).sent).toBeLessThan(1024 * MB);
  });
});

describe('servers that hang or trickle', () => {
  it('no answer at all: FETCH_TIMEOUT after the source\'s own timeout, not the global 30 s', async () => {
    const { url } = await serve(() => {}); // never answers
    const run = await cycle(url, { timeout: '1s' });
    expectRefused(run.report('hostile'), 'FETCH_TIMEOUT', /kev\.json: no answer within 1000 ms/);
  });

  it('headers, then one byte now and then forever: the body is bounded by fetch.timeout too', async () => {
    const { url, served } = await serve((res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{');
      const timer = setInterval(() => res.write(' '), 50);
      return new Promise<Sent>((resolve) =>
        res.on('close', () => {
          clearInterval(timer);
          resolve({ sent: 0, completed: false });
        }),
      );
    });
    const run = await cycle(url, {}, { fetch: { timeout: '1s' } });
    expectRefused(run.report('hostile'), 'FETCH_TIMEOUT', /no answer within 1000 ms/);
    expect((await served).completed).toBe(false);
  });
});

describe('redirects', () => {
  it('a redirect loop ends at fetch.maxRedirects with FETCH_TOO_MANY_REDIRECTS', async () => {
    const { url } = await serve((res) => void res.writeHead(302, { location: '/kev.json' }).end());
    const run = await cycle(url, {}, { fetch: { maxRedirects: 3 } });
    expectRefused(run.report('hostile'), 'FETCH_TOO_MANY_REDIRECTS', /kev\.json: more than 3 redirects/);
    expect(server?.requests).toHaveLength(4);
  });

  it('a redirect to a file: URL is refused: a hostile server cannot make secwatch read local files', async () => {
    const { url } = await serve((res) => void res.writeHead(302, { location: 'file:///etc/passwd' }).end());
    const run = await cycle(url);
    expectRefused(run.report('hostile'), 'FETCH_BLOCKED', /redirect to a file: URL refused/);
    expect(await run.storedText()).not.toContain('root:');
  });
});
