// `secwatch parse --format advance|html FILE` (DESIGN.md stage-command contract): one JSON line per
// item on stdout, exit 0; a page it cannot read → one line on stderr naming the file, exit 2.
// Run from the TypeScript sources (tsx), so the contract is checked without a fresh build.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { corpus, corpusPath } from '../helpers/corpus.js';

const run = promisify(execFile);
const MAIN = resolve('src/cli/main.ts');

async function secwatch(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', MAIN, ...args], { maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
const lines = (stdout: string) => stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);

describe('secwatch parse --format advance', () => {
  it('prints the notice, then one rated advisory per CVE of a post made after the release', async () => {
    const rel = 'advance/nodejs/december-2025-security-releases.4-2026-01-19.final.md';
    const cves = [...corpus(rel).toString('utf8').matchAll(/^## .*\((CVE-\d{4}-\d+)\) - \((\w+)\)\s*$/gm)].map((m) => m[1]!);
    const { code, stdout } = await secwatch(['parse', '--format', 'advance', corpusPath(rel)]);
    expect(code).toBe(0);
    const [notice, ...advisories] = lines(stdout);
    expect(notice).toMatchObject({ kind: 'advance-notice', id: 'nodejs:december-2025-security-releases', plannedRelease: { date: '2026-01-13' } });
    expect(advisories.map((a) => (a.cves as string[])[0])).toEqual(cves);
    expect(advisories.every((a) => ['important', 'moderate', 'low'].includes(a.severity as string))).toBe(true);
  }, 60_000);

  it('recognises a release post without --format', async () => {
    const { code, stdout } = await secwatch(['parse', corpusPath('advance/nodejs/june-2026-security-releases.1-2026-06-10.announce.md')]);
    expect(code).toBe(0);
    expect(lines(stdout)).toEqual([expect.objectContaining({ kind: 'advance-notice', plannedRelease: { date: '2026-06-17', maxSeverity: 'important' } })]);
  }, 60_000);
});

describe('secwatch parse --format html', () => {
  it('reads an HTML page with the selectors of an html source in --config', async () => {
    const rel = 'html/msrc-bulletin/Bulletin-2017-Jan.html';
    const ids = [...corpus(rel).toString('utf8').matchAll(/<td><a href="#([^"]+)">/g)].map((m) => `msrc:${m[1]!}`);
    const { code, stdout } = await secwatch(['parse', '--format', 'html', '--config', 'config/examples/html-msrc-bulletin.yaml', corpusPath(rel)]);
    expect(code).toBe(0);
    expect(lines(stdout).map((a) => a.id).sort()).toEqual(ids.sort());
  }, 60_000);

  it('reads an OpenSSL text advisory without any config', async () => {
    const rel = 'html/openssl-secadv-txt/20220315.txt';
    const { code, stdout } = await secwatch(['parse', '--format', 'html', corpusPath(rel)]);
    expect(code).toBe(0);
    expect(lines(stdout)).toEqual([expect.objectContaining({ id: 'openssl:CVE-2022-0778', severity: 'important', cves: ['CVE-2022-0778'] })]);
  }, 60_000);

  it('exits 2 with one line naming the file and the selector when the selectors find nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'secwatch-parse-html-'));
    try {
      const page = join(dir, 'page.html');
      writeFileSync(page, '<html><body><p>redesigned</p></body></html>');
      const { code, stdout, stderr } = await secwatch(['parse', '--format', 'html', '--config', 'config/examples/html-msrc-bulletin.yaml', page]);
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(stderr).toContain(page);
      expect(stderr).toContain('selector "h1[id^="CVE-"], h1[id^="ADV"]" for section matched nothing');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
