import { spawn, type ChildProcess } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { FetchError } from '../../src/errors.js';
import { createHttpClient, type HttpClient } from '../../src/net/http-client.js';
import { closedPort, startServer, type TestServer } from '../helpers/http-server.js';

const servers: TestServer[] = [];
const clients: HttpClient[] = [];
afterEach(async () => {
  await Promise.all([...servers.splice(0).map((s) => s.close()), ...clients.splice(0).map((c) => c.close())]);
});

function client(over: Partial<Parameters<typeof createHttpClient>[0]> = {}): HttpClient {
  const c = createHttpClient({ timeoutMs: 5_000, maxBytes: 1024 * 1024, maxRedirects: 3, userAgent: 'secwatch-test', ...over });
  clients.push(c);
  return c;
}

async function server(handler: Parameters<typeof startServer>[0]): Promise<TestServer> {
  const s = await startServer(handler);
  servers.push(s);
  return s;
}

async function fetchError(p: Promise<unknown>): Promise<FetchError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(FetchError);
  return err as FetchError;
}

describe('http client', () => {
  it('does conditional GET with the remembered ETag and Last-Modified', async () => {
    const s = await server((req, res) => {
      if (req.headers['if-none-match'] === '"v1"') return res.writeHead(304).end();
      res.writeHead(200, { etag: '"v1"', 'last-modified': 'Mon, 25 Aug 2025 10:00:00 GMT', 'content-type': 'application/json' }).end('{"a":1}');
    });
    const first = await client().get(`${s.url}/kev.json`);
    expect(first).toMatchObject({ status: 'ok', validators: { etag: '"v1"', lastModified: 'Mon, 25 Aug 2025 10:00:00 GMT' } });
    const second = await client().get(`${s.url}/kev.json`, { validators: first.validators });
    expect(second.status).toBe('not-modified');
    expect(s.requests[1]?.headers).toMatchObject({ 'if-none-match': '"v1"', 'if-modified-since': 'Mon, 25 Aug 2025 10:00:00 GMT' });
  });

  it('decodes gzip bodies', async () => {
    const s = await server((_req, res) => res.writeHead(200, { 'content-encoding': 'gzip' }).end(gzipSync('hello bulletin')));
    const r = await client().get(s.url);
    expect(r.status === 'ok' && Buffer.from(r.body).toString()).toBe('hello bulletin');
  });

  it('refuses a body over the limit, declared or streamed', async () => {
    const big = Buffer.alloc(4096, 'x');
    const declared = await server((_req, res) => res.writeHead(200, { 'content-length': String(big.length) }).end(big));
    expect((await fetchError(client({ maxBytes: 1000 }).get(declared.url))).kind).toBe('too-large');
    const streamed = await server((_req, res) => {
      res.writeHead(200);
      res.write(big);
      res.end(big);
    });
    const err = await fetchError(client({ maxBytes: 5000 }).get(streamed.url));
    expect(err.kind).toBe('too-large');
    expect(err.message).toMatch(/larger than the 5000-byte limit/);
  });

  it('follows redirects up to the limit and no further', async () => {
    const s = await server((req, res) => {
      const n = Number(req.url?.slice(1) ?? 0);
      if (n < 10) return res.writeHead(302, { location: `/${n + 1}` }).end();
      res.writeHead(200).end('done');
    });
    const ok = await client({ maxRedirects: 3 }).get(`${s.url}/7`);
    expect(ok.status === 'ok' && ok.url).toBe(`${s.url}/10`);
    const err = await fetchError(client({ maxRedirects: 3 }).get(`${s.url}/0`));
    expect(err.kind).toBe('redirects');
  });

  it('names the URL and the cause for error statuses, refused connections and timeouts', async () => {
    const s = await server((req, res) => {
      if (req.url === '/hang') return; // never answers
      res.writeHead(503).end();
    });
    const status = await fetchError(client().get(`${s.url}/feed?token=secret`));
    expect(status).toMatchObject({ kind: 'status', status: 503, retryable: true });
    expect(status.message).toContain(`${s.url}/feed?…: HTTP 503`);
    expect(status.message).not.toContain('secret');

    const refused = await fetchError(client().get(`http://127.0.0.1:${await closedPort()}/x`));
    expect(refused.kind).toBe('connect');
    expect(refused.message).toMatch(/connection failed \(ECONNREFUSED\)/);

    const timeout = await fetchError(client({ timeoutMs: 300 }).get(`${s.url}/hang`));
    expect(timeout.kind).toBe('timeout');
    expect(timeout.message).toMatch(/no answer within 300 ms/);
  });

  it('reads file:// URLs with size limit and change detection', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'secwatch-http-'));
    const file = join(dir, 'feed.xml');
    writeFileSync(file, '<rss/>');
    const url = pathToFileURL(file).href;
    const first = await client().get(url);
    expect(first.status).toBe('ok');
    expect((await client().get(url, { validators: first.validators })).status).toBe('not-modified');
    expect((await fetchError(client({ maxBytes: 3 }).get(url))).kind).toBe('too-large');
    const missing = await fetchError(client().get(pathToFileURL(join(dir, 'absent.xml')).href));
    expect(missing.kind).toBe('not-found');
    expect(missing.message).toContain('absent.xml');
  });

  it('keeps user-supplied URLs away from private addresses unless allowed', async () => {
    const s = await server((_req, res) => res.writeHead(204).end());
    const blocked = await fetchError(client().post(s.url, '{}', { userSupplied: true }));
    expect(blocked.kind).toBe('blocked');
    expect((await fetchError(client().post('http://localhost:9/x', '{}', { userSupplied: true }))).kind).toBe('blocked');
    const allowed = await client({ allowPrivateHosts: ['127.0.0.1'] }).post(s.url, '{}', { userSupplied: true });
    expect(allowed.status).toBe(204);
    // Operator-configured sources are not user-supplied: no guard.
    expect((await client().post(s.url, '{}')).status).toBe(204);
  });
});

describe('http client on dropped connections', () => {
  it('retries a GET once when the server drops the connection, and reports a second drop', async () => {
    let drops = 1;
    const s = await server((req, res) => {
      if (drops > 0) {
        drops--;
        req.socket.destroy(); // as a server closing a kept-alive socket does
        return;
      }
      res.writeHead(200).end('ok');
    });
    const ok = await client().get(s.url);
    expect(ok.status === 'ok' && Buffer.from(ok.body).toString()).toBe('ok');
    expect(s.requests).toHaveLength(2);

    drops = 2;
    const err = await fetchError(client().get(s.url));
    expect(err.kind).toBe('connect');
    expect(s.requests).toHaveLength(4);
  });

  it('does not fetch again a body cut half-way: the GET is reported once', async () => {
    const s = await server((_req, res) => {
      res.writeHead(200, { 'content-length': '1000' });
      res.write('x'.repeat(100), () => res.socket?.destroy());
    });
    const err = await fetchError(client().get(`${s.url}/feed`));
    expect(err.message).toContain(`${s.url}/feed: `);
    expect(s.requests).toHaveLength(1);
  });
});

describe('http client content codings (decoded by us since the move to undici request())', () => {
  it('decodes deflate (zlib-wrapped and raw), br and stacked codings; leaves unknown codings as sent', async () => {
    const text = 'bulletin body '.repeat(50);
    const s = await server((req, res) => {
      const encoded: Record<string, [string, Buffer]> = {
        '/zlib': ['deflate', deflateSync(text)],
        '/raw': ['deflate', deflateRawSync(text)],
        '/br': ['br', brotliCompressSync(text)],
        '/stacked': ['deflate, gzip', gzipSync(deflateSync(text))],
        '/unknown': ['x-custom', Buffer.from(text)],
      };
      const [coding, body] = encoded[req.url ?? ''] ?? ['identity', Buffer.from('?')];
      res.writeHead(200, { 'content-encoding': coding }).end(body);
    });
    for (const path of ['/zlib', '/raw', '/br', '/stacked', '/unknown']) {
      const r = await client().get(`${s.url}${path}`);
      expect(r.status === 'ok' && Buffer.from(r.body).toString(), path).toBe(text);
    }
  });

  it('applies maxBytes to the decoded bytes, and refuses more than five codings', async () => {
    const s = await server((req, res) => {
      if (req.url === '/many') return res.writeHead(200, { 'content-encoding': 'gzip, gzip, gzip, gzip, gzip, gzip' }).end('x');
      res.writeHead(200, { 'content-encoding': 'br' }).end(brotliCompressSync(Buffer.alloc(100_000, 'a')));
    });
    const big = await fetchError(client({ maxBytes: 10_000 }).get(s.url));
    expect(big.kind).toBe('too-large');
    const many = await fetchError(client().get(`${s.url}/many`));
    expect(many.message).toMatch(/too many content-encodings/);
  });

  it('reports a corrupt gzip body as an error naming the URL', async () => {
    const s = await server((_req, res) => res.writeHead(200, { 'content-encoding': 'gzip' }).end('not gzip at all'));
    const err = await fetchError(client().get(`${s.url}/feed.json`));
    expect(err.message).toContain(`${s.url}/feed.json: `);
  });
});

describe('http client timeouts', () => {
  let listener: ChildProcess | undefined;
  const fillers: Socket[] = [];
  afterEach(() => {
    listener?.kill('SIGKILL');
    listener = undefined;
    for (const f of fillers.splice(0)) f.destroy();
  });

  /**
   * A port whose connects hang: a listener with a one-slot backlog in a stopped process. Once the
   * accept queue is full the kernel drops further SYNs, so a new connect never completes.
   */
  async function hangingPort(): Promise<number> {
    const script = `const s = require('node:net').createServer(); s.listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => process.stdout.write(s.address().port + '\\n'));`;
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    listener = child;
    const port = await new Promise<number>((resolve) => child.stdout?.once('data', (d: Buffer) => resolve(Number(String(d).trim()))));
    child.kill('SIGSTOP');
    // Fill the accept queue; each filler is "connected" once the kernel answered it.
    await Promise.all(
      [0, 1].map(
        () =>
          new Promise<void>((resolve) => {
            const f = connect(port, '127.0.0.1', () => resolve());
            f.on('error', () => resolve());
            fillers.push(f);
          }),
      ),
    );
    for (let i = 0; i < 3; i++) fillers.push(connect(port, '127.0.0.1').on('error', () => undefined));
    return port;
  }

  it("a per-request timeoutMs bounds a connect that hangs, not only the client's own timeout", async () => {
    const port = await hangingPort();
    const err = await fetchError(client({ timeoutMs: 60_000 }).get(`http://127.0.0.1:${port}/feed`, { timeoutMs: 300 }));
    expect(err.kind).toBe('timeout');
    expect(err.message).toMatch(/no answer within 300 ms/);
  }, 20_000);

  it('a per-request timeoutMs covers a body that trickles', async () => {
    const s = await server((_req, res) => {
      res.writeHead(200);
      const drip = setInterval(() => res.write('x'), 50);
      res.on('close', () => clearInterval(drip));
    });
    const err = await fetchError(client({ timeoutMs: 60_000 }).get(s.url, { timeoutMs: 400 }));
    expect(err.kind).toBe('timeout');
    expect(err.message).toMatch(/no answer within 400 ms/);
  }, 20_000);

  it('an aborted caller signal stops the request', async () => {
    const s = await server(() => undefined); // never answers
    const controller = new AbortController();
    const pending = fetchError(client().get(s.url, { signal: controller.signal }));
    controller.abort();
    const err = await pending;
    expect(err.message).toMatch(/request aborted/);
  });
});
