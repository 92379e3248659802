// The process survives: the real binary (`secwatch run --once --json`, dist/ built by `npm test`)
// over a config of hostile sources side by side with a good one. It prints its whole summary — a
// crash would not — naming each hostile source with its error code, and the good one is stored.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../helpers/http-server.js';
import { CONTROL } from './hostile-cycle.js';

const BIN = resolve('bin/secwatch.js');
let server: TestServer;

beforeAll(async () => {
  if (!existsSync('dist/cli/main.js')) throw new Error('dist/ is missing: run `npm run build` (npm test does it first)');
  const laughs = `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa">${[1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => `<!ENTITY ${'a'.repeat(i + 1)} "${`&${'a'.repeat(i)};`.repeat(10)}">`).join('')}]><rss version="2.0"><channel><title>&aaaaaaaaaa;</title><item><title>&aaaaaaaaaa;</title></item></channel></rss>`;
  const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20));
  server = await startServer((req, res) => {
    switch (req.url) {
      case '/laughs.rss':
        return res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(laughs);
      case '/bomb.json':
        return res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' }).end(bomb);
      case '/damaged.mbox.gz':
        return res.writeHead(200, { 'content-type': 'application/gzip' }).end(Buffer.from([0x1f, 0x8b, 0x63, 0x00, 0x01]));
      case '/deep.json':
        return res.writeHead(200, { 'content-type': 'application/json' }).end(`{"id":"X-1","modified":"2024-01-01T00:00:00Z","affected":${'['.repeat(200_000)}${']'.repeat(200_000)}}`);
      case '/hang':
        return; // never answers
      case undefined:
      default:
        res.writeHead(404).end();
    }
  });
});
afterAll(async () => server.close());

describe('secwatch run --once over hostile sources', () => {
  it('finishes the cycle and prints its summary; every hostile source is named with its code, the good one is stored', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'secwatch-hostile-process-'));
    const config = join(dir, 'secwatch.yaml');
    writeFileSync(
      config,
      JSON.stringify({
        dataDir: dir,
        fetch: { maxBytes: '4MB' },
        sources: [
          { id: 'laughs', kind: 'rss', url: `${server.url}/laughs.rss` },
          { id: 'bomb', kind: 'kev', url: `${server.url}/bomb.json` },
          { id: 'damaged', kind: 'mbox', url: `${server.url}/damaged.mbox.gz` },
          { id: 'deep', kind: 'osv', url: `${server.url}/deep.json` },
          { id: 'hang', kind: 'kev', url: `${server.url}/hang`, timeout: '1s' },
          CONTROL,
        ],
      }),
    );
    const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
      execFile(process.execPath, [BIN, 'run', '--once', '--json', '--config', config], { env: { ...process.env, SECWATCH_LOG_LEVEL: 'silent' } }, (err, out, errOut) =>
        done({ code: err ? Number((err as { code?: number }).code) : 0, stdout: out, stderr: errOut }),
      );
    });
    // Exit 1 = "some source failed" (run.ts), after the summary; a crash prints no summary.
    expect({ code, stderr: stderr.includes('Error:') ? stderr : '' }).toEqual({ code: 1, stderr: '' });
    const summary = JSON.parse(stdout) as { sources: { sourceId: string; status: string; code?: string; advisories?: { new: number } }[] };
    const by = Object.fromEntries(summary.sources.map((s) => [s.sourceId, s]));
    expect(by).toMatchObject({
      laughs: { status: 'error', code: 'PARSE_INVALID' },
      bomb: { status: 'error', code: 'FETCH_TOO_LARGE' },
      damaged: { status: 'error', code: 'PARSE_INVALID' },
      deep: { status: 'error', code: 'PARSE_INVALID' },
      hang: { status: 'error', code: 'FETCH_TIMEOUT' },
      control: { status: 'ok', advisories: { new: 3 } },
    });
  });
});
