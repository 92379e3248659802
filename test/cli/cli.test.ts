import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { corpusPath } from '../helpers/corpus.js';

// The stage commands are a contract other tools rely on: exercised through the real binary
// (bin/secwatch.js → dist/, built by `npm test` before vitest runs).

const run = promisify(execFile);
const BIN = resolve('bin/secwatch.js');

async function secwatch(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(() => {
  if (!existsSync('dist/cli/main.js')) throw new Error('dist/ is missing: run `npm run build` (npm test does it first)');
});

describe('secwatch parse', () => {
  it.each(['kev/known_exploited_vulnerabilities.2025-08-21.json', 'kev/known_exploited_vulnerabilities.2025-08-25.json'])(
    'gives one rated line per KEV entry of %s',
    async (rel) => {
      const catalog = JSON.parse(readFileSync(corpusPath(rel), 'utf8')) as { vulnerabilities: { cveID: string; dueDate: string }[] };
      const { code, stdout } = await secwatch(['parse', '--format', 'kev', corpusPath(rel)]);
      expect(code).toBe(0);
      const lines = stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown> & { exploited: { kev: { dueDate: string } } });
      expect(lines).toHaveLength(catalog.vulnerabilities.length);
      lines.forEach((a, i) => {
        const entry = catalog.vulnerabilities[i]!;
        expect(a).toMatchObject({ id: `kev:${entry.cveID}`, cves: [entry.cveID], exploited: { kev: { dueDate: entry.dueDate } } });
        expect(['critical', 'important']).toContain(a.severity);
        expect(typeof a.title).toBe('string');
      });
    },
  );

  it('reads the CSV rendition of the catalog into the same lines as the JSON one', async () => {
    const csv = await secwatch(['parse', corpusPath('kev/known_exploited_vulnerabilities.2025-08-25.csv')]);
    const json = await secwatch(['parse', '--format', 'kev', corpusPath('kev/known_exploited_vulnerabilities.2025-08-25.json')]);
    expect(csv.code).toBe(0);
    expect(csv.stdout.trim().split('\n').length).toBeGreaterThan(1000);
    expect(csv.stdout).toBe(json.stdout);
  });

  it('auto-detects the Debian RDF feed', async () => {
    const { code, stdout } = await secwatch(['parse', corpusPath('vendor-rss/debian/dsa-long.3-item-excerpt.rdf'), '--source-id', 'debian']);
    expect(code).toBe(0);
    expect(stdout.trim().split('\n').map((l) => (JSON.parse(l) as { id: string }).id)).toEqual(['debian:DSA-6508-1', 'debian:DSA-6507-1', 'debian:DSA-6506-1']);
  });

  it('fails with one line naming the file and the cause (exit 2)', async () => {
    const bad = corpusPath('cisa-rss/cisa-csaf-it-feed-tlp-white.2024-09-10.MALFORMED-as-published.json');
    const malformed = await secwatch(['parse', '--format', 'kev', bad]);
    expect(malformed.code).toBe(2);
    expect(malformed.stdout).toBe('');
    expect(malformed.stderr.trim().split('\n')).toHaveLength(1);
    expect(malformed.stderr).toContain(bad);
    expect(malformed.stderr).toMatch(/line 48 column 5/);

    const missing = await secwatch(['parse', '--format', 'kev', '/nonexistent/kev.json']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/\/nonexistent\/kev\.json: cannot read/);
  });
});

describe('secwatch run --once and feed on the demo config', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'secwatch-demo-'));
    cpSync('config', join(dir, 'config'), { recursive: true });
  });

  it('rates, matches, writes feed and outbox, then sends nothing the second time', async () => {
    const cfg = join(dir, 'config', 'demo.yaml');
    const first = await secwatch(['run', '--once', '--config', cfg, '--json']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const summary = JSON.parse(first.stdout) as {
      sources: { sourceId: string; status: string; advisories: { new: number }; matches: number }[];
      deliveries: { planned: number; sent: number };
      feedFile: string;
      outboxDir: string;
    };
    expect(summary.sources.map((s) => [s.sourceId, s.status])).toEqual([
      ['cisa-kev', 'ok'],
      ['debian', 'ok'],
    ]);
    expect(summary.sources.every((s) => s.advisories.new > 0)).toBe(true);
    expect(summary.sources.reduce((n, s) => n + s.matches, 0)).toBeGreaterThan(0);
    expect(summary.deliveries.sent).toBe(summary.deliveries.planned);
    expect(readdirSync(summary.outboxDir).filter((f) => f.endsWith('.eml'))).toHaveLength(summary.deliveries.sent);

    const second = await secwatch(['run', '--once', '--config', cfg, '--json']);
    const again = JSON.parse(second.stdout) as { deliveries: { planned: number; sent: number } };
    expect(again.deliveries).toMatchObject({ planned: 0, sent: 0 });
    expect(readdirSync(summary.outboxDir)).toHaveLength(summary.deliveries.sent);

    const feedOut = await secwatch(['feed', '--config', cfg]);
    expect(feedOut.code).toBe(0);
    const feed = JSON.parse(feedOut.stdout) as { version: string; title: string; items: { id: string; content_text: string; _secwatch: { severity: string; apply_by: string | null; matched: string[] } }[] };
    expect(feed.version).toBe('https://jsonfeed.org/version/1.1');
    expect(feed.items.length).toBeGreaterThan(0);
    for (const item of feed.items) {
      expect(typeof item.id).toBe('string');
      expect(item.content_text.length).toBeGreaterThan(0);
      expect(['critical', 'important', 'moderate', 'low', 'none']).toContain(item._secwatch.severity);
    }
    expect(feed.items.some((i) => i._secwatch.matched.length > 0 && i._secwatch.apply_by !== null)).toBe(true);
    expect(JSON.parse(readFileSync(summary.feedFile, 'utf8'))).toEqual(feed);
  });

  it('rejects an invalid config with the key path (exit 2)', async () => {
    const cfg = join(dir, 'bad.yaml');
    writeFileSync(cfg, 'sources:\n  - id: x\n    kind: kev\n    url: gopher://old\n');
    const out = await secwatch(['run', '--once', '--config', cfg]);
    expect(out.code).toBe(2);
    expect(out.stderr.trim().split('\n')).toHaveLength(1);
    expect(out.stderr).toMatch(/sources\[0\]\.url/);
  });
});
