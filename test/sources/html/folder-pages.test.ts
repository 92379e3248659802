// html and advance sources on a file: folder: every file is one page, a poll yields only files
// that are new or changed, an oversized file is reported by name while the others still count.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceConfig } from '../../../src/config/schema.js';
import { createHttpClient, type HttpClient } from '../../../src/net/http-client.js';
import { parsers } from '../../../src/parse/index.js';
import { createAdvanceSource } from '../../../src/sources/advance/index.js';
import { createHtmlSource } from '../../../src/sources/html/index.js';
import type { FetchResult, SourceContext } from '../../../src/sources/source.js';
import type { SourceState } from '../../../src/store/store.js';
import { fixedClock } from '../../../src/util/clock.js';
import { silentLogger } from '../../../src/util/logger.js';
import { corpusPath } from '../../helpers/corpus.js';

let http: HttpClient;
let dir: string;

beforeAll(() => {
  http = createHttpClient({ timeoutMs: 10_000, maxBytes: 4 * 1024 * 1024, maxRedirects: 2, userAgent: 'secwatch-test' });
  dir = mkdtempSync(join(tmpdir(), 'secwatch-folder-pages-'));
});

afterAll(async () => {
  await http.close();
  rmSync(dir, { recursive: true, force: true });
});

const context = (): SourceContext => ({ http, clock: fixedClock('2026-07-07T00:00:00Z'), log: silentLogger });
const committed = (id: string, r: FetchResult): SourceState => ({ sourceId: id, validators: r.validators, ...(r.cursor === undefined ? {} : { cursor: r.cursor }) });
const names = (r: FetchResult): string[] => (r.status === 'ok' ? r.documents.map((d) => decodeURIComponent(d.url.split('/').pop()!)) : []);

describe('an advance source on a folder', () => {
  const folder = () => join(dir, 'msrc');
  const config = (): SourceConfig => ({ id: 'msrc-pages', kind: 'advance', url: pathToFileURL(folder()).href, interval: 3_600_000, enabled: true, maxPages: 50 });

  it('reads every page once, then only a page added or changed; each parses as a notice', async () => {
    mkdirSync(join(folder(), '2013'), { recursive: true });
    copyFileSync(corpusPath('msrc/bulletins-ja/ms11-feb.advance-2012-02.excerpt.md'), join(folder(), 'ms11-feb.md'));
    copyFileSync(corpusPath('msrc/bulletins-de/ms13-jan.md'), join(folder(), '2013', 'ms13-jan.md'));
    writeFileSync(join(folder(), '.ms11-feb.md.swp'), 'editor scratch');
    const source = createAdvanceSource(config(), { maxBytes: 1 << 20 });

    const first = await source.fetch(context(), undefined);
    expect(names(first)).toEqual(['ms13-jan.md', 'ms11-feb.md']);
    const notices = first.status === 'ok' ? await Promise.all(first.documents.map((d) => parsers.advance(d))) : [];
    expect(notices.map((n) => [n[0]!.id, n[0]!.closedBy === undefined ? 'open' : 'closed'])).toEqual([
      ['msrc:advance:2013-01', 'closed'],
      ['msrc:advance:2012-02', 'open'],
    ]);

    const again = await source.fetch(context(), committed('msrc-pages', first));
    expect(again.status).toBe('not-modified');

    // The release day: the month's page is replaced by its summary (another size, so another validator).
    copyFileSync(corpusPath('msrc/bulletins-ja/ms12-feb.summary.excerpt.md'), join(folder(), 'ms11-feb.md'));
    const replaced = await source.fetch(context(), committed('msrc-pages', again));
    expect(names(replaced)).toEqual(['ms11-feb.md']);
    const closed = replaced.status === 'ok' ? (await parsers.advance(replaced.documents[0]!))[0]! : undefined;
    expect([closed?.id, closed?.closedBy?.length]).toEqual(['msrc:advance:2012-02', 9]);
  });
});

describe('an html source on a folder', () => {
  it('an oversized file is a problem naming it; the other files are still read, and it is tried again next poll', async () => {
    const folder = join(dir, 'secadv');
    mkdirSync(folder, { recursive: true });
    copyFileSync(corpusPath('html/openssl-secadv-txt/20220315.txt'), join(folder, '20220315.txt'));
    writeFileSync(join(folder, 'huge.txt'), 'x'.repeat(70_000));
    const config = { id: 'secadv-files', kind: 'html', url: pathToFileURL(folder).href, interval: 3_600_000, enabled: true, maxPages: 50 } as SourceConfig;
    const source = createHtmlSource(config, { maxBytes: 64 * 1024 });
    const first = await source.fetch(context(), undefined);
    expect(names(first)).toEqual(['20220315.txt']);
    expect(first.status === 'ok' && first.problems).toEqual([expect.stringMatching(/^secadv-files: file:\/\/.*\/huge\.txt: /)]);
    const advisories = first.status === 'ok' ? await parsers.html(first.documents[0]!) : [];
    expect(advisories.flatMap((a) => a.cves)).toContain('CVE-2022-0778');

    const second = await source.fetch(context(), committed('secadv-files', first));
    expect(second.status === 'ok' && [second.documents.length, second.problems?.length]).toEqual([0, 1]);
  });

  it('a folder that cannot be listed is one clear error naming the source URL', async () => {
    const config = { id: 'gone', kind: 'html', url: pathToFileURL(join(dir, 'no-such-folder')).href + '/', interval: 3_600_000, enabled: true, maxPages: 50 } as SourceConfig;
    await expect(createHtmlSource(config, { maxBytes: 1024 }).fetch(context(), undefined)).rejects.toThrow(/no-such-folder/);
  });
});
