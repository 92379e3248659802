// Microsoft's historical Bulletin Advance Notifications: the ja-jp notice for February 2012, the
// ja-jp summary that replaced it on the release day, and the de-de summary of January 2013 — real
// pages from the MicrosoftDocs localisation repositories (see test/fixtures/corpus/PROVENANCE.md).
// Expectations are read from the pages with plain regexes here, not with the parser's own code.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../src/config/load.js';
import { ParseError } from '../../../src/errors.js';
import type { ParsedAdvisory } from '../../../src/model/advisory.js';
import { normalizeAdvisory } from '../../../src/normalize/index.js';
import { parseAdvance } from '../../../src/parse/index.js';
import { planAlerts } from '../../../src/pipeline/plan-alerts.js';
import { planningLines } from '../../../src/pipeline/planning.js';
import { openStore, type Store } from '../../../src/store/index.js';
import { corpus, corpusDocument } from '../../helpers/corpus.js';

const NOTICE_JA = 'msrc/bulletins-ja/ms11-feb.advance-2012-02.excerpt.md';
const SUMMARY_JA = 'msrc/bulletins-ja/ms12-feb.summary.excerpt.md';
const SUMMARY_DE = 'msrc/bulletins-de/ms13-jan.md';
const parse = (file: string): Promise<ParsedAdvisory[]> => parseAdvance(corpusDocument(file, { sourceId: 'msrc-bulletins', sourceKind: 'advance' }));
const text = (file: string): string => corpus(file).toString('utf8');

/** The first table's rows: [id cell, rating word] — the id cell is the row's first <td>, the rating the first linked word after it. */
function firstTableRows(md: string): [string, string][] {
  const table = md.slice(md.indexOf('<tbody>'), md.indexOf('</tbody>'));
  return [...table.matchAll(/<tr[^>]*>\s*<td[^>]*>(.*?)<\/td>[\s\S]*?<a [^>]*>([^<]+)<\/a>\s*<br \/>/g)].map((m) => [m[1]!.replace(/<[^>]+>/g, ''), m[2]!]);
}
const JA_RATING: Record<string, string> = { 緊急: 'critical', 重要: 'important', 警告: 'moderate', 注意: 'low' };

let store: Store;
beforeEach(async () => {
  store = await openStore('sqlite::memory:');
});
afterEach(async () => {
  await store.close();
});

describe('the ja-jp advance notification for February 2012', () => {
  it('is one open notice for the month, with the planned day, the highest rating and the affected software', async () => {
    const md = text(NOTICE_JA);
    const rows = firstTableRows(md);
    // Nine placeholder bulletins ("セキュリティ情報 1" …), four of them 緊急 (Critical).
    expect(rows.map(([id]) => id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => `セキュリティ情報 ${n}`));
    const [notice, ...rest] = await parse(NOTICE_JA);
    expect(rest).toEqual([]);
    expect(notice).toMatchObject({ id: 'msrc:advance:2012-02', kind: 'advance-notice', published: '2012-02-15T00:00:00.000Z', vendorRevision: '1.0' });
    expect(notice!.closedBy).toBeUndefined();
    // The body says "2011 年 2 月 15 日" though the page is the February 2012 notice (its title, its
    // bulletins): the release month of the title wins, the day comes from the body.
    expect(md).toContain('2011 年 2 月 15 日に公開を予定');
    expect(md).toMatch(/^Title: '.*2012 年 2 月'$/m);
    expect(notice!.plannedRelease).toEqual({ date: '2012-02-15', maxSeverity: JA_RATING[rows[0]![1]] });
    const software = [...new Set([...md.matchAll(/<td[^>]*>([^<]*?)(?:,<br \/>\n([^<]*))?<\/td>\n<\/tr>/g)].flatMap((m) => [m[1]!, m[2]].filter((s): s is string => !!s)))];
    expect(notice!.products.map((p) => p.product)).toEqual(software);
    expect(notice!.summary).toContain(`${rows.length} bulletins planned for 2012-02-15`);
  });

  it('a subscriber is told what to expect on the day; the summary of the release day closes the notice as a new revision', async () => {
    const config = resolveConfig(
      { subscriptions: [{ id: 'plan', channel: 'email', to: ['ops@example.org'], minSeverity: 'important', matchedOnly: false }] },
      { env: {}, baseDir: '/tmp' },
    );
    const policy = { rules: ['msrc-classic' as const], clockStart: 'release' as const };
    const opened = normalizeAdvisory((await parse(NOTICE_JA))[0]!);
    expect(planningLines(opened)).toContain('expect a CRITICAL fix for Microsoft Windows on 2012-02-15');
    expect(planningLines(opened)).toContain('expect an IMPORTANT fix for Microsoft Office on 2012-02-15');
    const first = await store.upsertAdvisories([opened], new Date('2012-02-10T00:00:00Z'));
    expect(planAlerts(first, new Map(), config.subscriptions, policy)).toHaveLength(1);

    const closed = normalizeAdvisory((await parse(SUMMARY_JA))[0]!);
    expect(closed.id).toBe(opened.id);
    const [outcome] = await store.upsertAdvisories([closed], new Date('2012-02-15T00:00:00Z'));
    expect([outcome!.status, outcome!.advisory.revision]).toEqual(['revised', 2]);
    // Linked to the month's real bulletins, in the summary table's order (this excerpt lists no CVEs).
    const bulletins = [...text(SUMMARY_JA).matchAll(/<td[^>]*><a href="[^"]*">(MS12-\d{3})<\/a><\/td>/g)].map((m) => m[1]!);
    expect(bulletins).toHaveLength(9);
    expect(outcome!.advisory.closedBy).toEqual(bulletins.map((b) => `msrc:${b}`));
    // A closed notice is no planning alert any more.
    expect(planAlerts([outcome!], new Map(), config.subscriptions, policy).map((a) => a.advisory.kind)).not.toContain('advance-notice');
    expect(planningLines(outcome!.advisory)).toEqual([]);
  });
});

describe('the de-de summary for January 2013', () => {
  it('closes that month\'s notice with the CVEs its exploitability table lists per bulletin', async () => {
    const md = text(SUMMARY_DE);
    const [notice] = await parse(SUMMARY_DE);
    expect(notice).toMatchObject({ id: 'msrc:advance:2013-01', published: '2013-01-08T00:00:00.000Z', modified: '2013-03-12T00:00:00.000Z', vendorRevision: '4.0' });
    expect(notice!.plannedRelease).toEqual({ date: '2013-01-08', maxSeverity: 'critical' });
    // Every <tr> that names one bulletin of the month and CVEs.
    const bulletins = [...new Set(firstTableRows(md).map(([id]) => id))];
    expect(bulletins).toEqual(['MS13-008', 'MS13-001', 'MS13-002', 'MS13-003', 'MS13-004', 'MS13-005', 'MS13-006', 'MS13-007']);
    const cves = new Set<string>();
    for (const tr of md.match(/<tr[\s\S]*?<\/tr>/g) ?? []) {
      const ids = new Set(tr.match(/MS13-\d{3}/g) ?? []);
      if (ids.size === 1) for (const c of tr.match(/CVE-\d{4}-\d+/g) ?? []) cves.add(c);
    }
    expect(cves.size).toBeGreaterThan(8);
    expect([...notice!.closedBy!].sort()).toEqual([...cves].map((c) => `msrc:${c}`).sort());
    expect(notice!.summary).toContain(bulletins.join(', '));
  });
});

describe('bad Microsoft pages', () => {
  const doc = (body: string) => ({ sourceId: 'msrc-bulletins', sourceKind: 'advance' as const, url: 'https://example.invalid/ms12-feb', body: new TextEncoder().encode(body), fetchedAt: new Date(0) });
  const head = "---\nTitle: 'Microsoft Security Bulletin Advance Notification for February 2012'\nms:assetid: 'ms12-feb'\n---\n\nPublished: Thursday, February 9, 2012\n\n";

  it('a page without a bulletin table is a ParseError naming the page', async () => {
    await expect(parseAdvance(doc(`${head}Nothing here.\n`))).rejects.toThrow(ParseError);
    await expect(parseAdvance(doc(`${head}Nothing here.\n`))).rejects.toThrow(/ms12-feb: no bulletin table/);
  });

  it('an English notice that names no day falls back to the second Tuesday of its month', async () => {
    const table = '<table><thead><tr><th>Bulletin ID</th><th>Rating</th><th>Restart</th><th>Affected Software</th></tr></thead><tbody><tr><td>Bulletin 1</td><td><a href="x">Critical</a> <br />\nRemote Code Execution</td><td>Requires restart</td><td>Microsoft Windows</td></tr></tbody></table>\n';
    const [n] = await parseAdvance(doc(`${head}${table}`));
    expect(n!.plannedRelease).toEqual({ date: '2012-02-14', maxSeverity: 'critical' });
    const [dated] = await parseAdvance(doc(`${head}This is an advance notification of security bulletins that Microsoft is intending to release on February 21, 2012.\n\n${table}`));
    expect(dated!.plannedRelease?.date).toBe('2012-02-21');
  });
});
