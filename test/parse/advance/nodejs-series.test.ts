// The Node.js December 2025 series (announce → postponed → postponed again → final), through the
// parser and the real store: one notice whose planned date follows each statement, a new revision
// each time, and the final post's advisories rated from the post's own words.
import { readdirSync } from 'node:fs';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../src/config/load.js';
import { renderAlertText } from '../../../src/deliver/render.js';
import { ParseError } from '../../../src/errors.js';
import type { Advisory, ParsedAdvisory } from '../../../src/model/advisory.js';
import { normalizeAdvisory } from '../../../src/normalize/index.js';
import { parseAdvance } from '../../../src/parse/index.js';
import { buildAliasTable, buildInventoryIndex, matchAdvisory } from '../../../src/match/index.js';
import { planAlerts } from '../../../src/pipeline/plan-alerts.js';
import { planningLines } from '../../../src/pipeline/planning.js';
import { openStore, type Store } from '../../../src/store/index.js';
import { corpus, corpusDocument, corpusPath } from '../../helpers/corpus.js';
import { pgSchemas } from '../../helpers/postgres.js';

const DIR = 'advance/nodejs';
const files = (prefix: string) => readdirSync(corpusPath(DIR)).filter((f) => f.startsWith(prefix)).sort();
const DECEMBER = files('december-2025-security-releases.');
const parse = (file: string): Promise<ParsedAdvisory[]> => parseAdvance(corpusDocument(`${DIR}/${file}`, { sourceId: 'nodejs', sourceKind: 'advance' }));
const text = (file: string): string => corpus(`${DIR}/${file}`).toString('utf8');

// Independent readings of the Markdown, for expectations.
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
/** "title: Thursday, December 18, 2025 Security Releases" → "2025-12-18". */
function titleDate(md: string): string {
  const m = /^title: \w+, (\w+) (\d+), (\d{4}) Security Releases$/m.exec(md);
  if (!m) throw new Error('no dated title');
  return `${m[3]}-${String(MONTHS.indexOf(m[1]!) + 1).padStart(2, '0')}-${m[2]!.padStart(2, '0')}`;
}
/** "## Title (CVE-2025-55131) - (High)" → [[CVE, "High"], …]. */
function ratedCves(md: string): [string, string][] {
  return [...md.matchAll(/^## .*\((CVE-\d{4}-\d+)\) - \((\w+)\)\s*$/gm)].map((m) => [m[1]!, m[2]!]);
}
const OURS: Record<string, string> = { critical: 'critical', high: 'important', medium: 'moderate', low: 'low' };

let store: Store;
const pg = pgSchemas('advance');
beforeEach(async () => {
  store = await openStore('sqlite::memory:');
});
afterEach(async () => {
  await store.close();
});
afterAll(async () => {
  await pg.dropAll();
});

describe('Node.js December 2025 security releases', () => {
  it('has the four stored versions of the post', () => {
    expect(DECEMBER).toHaveLength(4);
  });

  it('gives one notice id whose planned date is the latest statement of each version', async () => {
    const notices = await Promise.all(DECEMBER.map(async (f) => (await parse(f))[0]!));
    expect(new Set(notices.map((n) => n.id)).size).toBe(1);
    expect(notices.every((n) => n.kind === 'advance-notice')).toBe(true);
    notices.forEach((n, i) => {
      const md = text(DECEMBER[i]!);
      expect(n.plannedRelease?.date).toBe(titleDate(md));
      // Where the post carries an update, its newest one names the same day as the title.
      const update = /^## \(Update [^)]*\) Security Release target (\w+) (\d+)/m.exec(md);
      if (update) expect(titleDate(md)).toContain(`-${update[2]!.padStart(2, '0')}`);
    });
    // The body's stale "Monday, December 15, 2025" never wins once the date moved.
    expect(notices.map((n) => n.plannedRelease?.date)).not.toContain(undefined);
    expect(new Set(notices.map((n) => n.plannedRelease?.date)).size).toBe(4);
  });

  it.each(['sqlite', 'postgres'])('stores a new revision of the same notice at each postponement (real %s store)', async (dialect) => {
    if (dialect === 'postgres') {
      await store.close();
      store = await openStore(pg.url());
    }
    const statuses: [string, number, string | undefined][] = [];
    for (const [i, f] of DECEMBER.entries()) {
      const notice = normalizeAdvisory((await parse(f))[0]!);
      const [outcome] = await store.upsertAdvisories([notice], new Date(Date.UTC(2025, 11, 8 + i)));
      statuses.push([outcome!.status, outcome!.advisory.revision, outcome!.advisory.plannedRelease?.date]);
    }
    expect(statuses.map(([s, r]) => [s, r])).toEqual([
      ['new', 1],
      ['revised', 2],
      ['revised', 3],
      ['revised', 4],
    ]);
    const history = await store.listRevisions(`nodejs:december-2025-security-releases`);
    expect(history.map((a) => a.plannedRelease?.date)).toEqual(DECEMBER.map((f) => titleDate(text(f))));
    // The same version polled again changes nothing.
    const again = normalizeAdvisory((await parse(DECEMBER[3]!))[0]!);
    expect((await store.upsertAdvisories([again], new Date('2026-01-20T00:00:00Z')))[0]!.status).toBe('unchanged');
  });

  it('a change of scope (a release line added) is a new revision of the same notice too', async () => {
    // The announce as it would have read before the 20.x line joined: derived by deleting that line.
    const real = text(DECEMBER[0]!);
    const narrower = real.replace(', 20.x\n', '\n').replace(/^The 20\.x release line.*\n/m, '');
    expect(narrower).not.toContain('20.x');
    const doc = corpusDocument(`${DIR}/${DECEMBER[0]!}`, { sourceId: 'nodejs', sourceKind: 'advance' });
    const [before] = await parseAdvance({ ...doc, body: new TextEncoder().encode(narrower) });
    const [after] = await parseAdvance(doc);
    expect(before!.id).toBe(after!.id);
    await store.upsertAdvisories([normalizeAdvisory(before!)], new Date('2025-12-08T23:00:00Z'));
    const [o] = await store.upsertAdvisories([normalizeAdvisory(after!)], new Date('2025-12-09T10:00:00Z'));
    expect([o!.status, o!.advisory.revision]).toEqual(['revised', 2]);
    expect(o!.changes).toContainEqual({ kind: 'product-added', products: ['Node.js 20.x'] });
  });

  it('rates every CVE of the final post from its own words and closes the notice with them', async () => {
    const final = DECEMBER[3]!;
    const expected = ratedCves(text(final));
    expect(expected.length).toBeGreaterThan(0);
    const [notice, ...advisories] = (await parse(final)).map((p) => normalizeAdvisory(p));
    expect(advisories.map((a) => a.cves)).toEqual(expected.map(([cve]) => [cve]));
    for (const [i, [cve, word]] of expected.entries()) {
      const a = advisories[i]!;
      expect(a.kind).toBe('advisory');
      expect(a.severity, cve).toBe(OURS[word.toLowerCase()]);
      expect(a.severitySource).toBe('vendor');
    }
    expect(notice!.closedBy).toEqual(advisories.map((a) => a.id));
    expect(notice!.plannedRelease?.maxSeverity).toBe(expected.some(([, w]) => w === 'High') ? 'important' : 'moderate');
  });

  it('a planning alert says what to expect, for which line, on which day; the closed notice does not alert', async () => {
    const config = resolveConfig(
      { subscriptions: [{ id: 'plan', channel: 'email', to: ['ops@example.org'], minSeverity: 'important', matchedOnly: false }] },
      { env: {}, baseDir: '/tmp' },
    );
    const policy = { rules: ['msrc-classic', 'kev'] as const, clockStart: 'release' as const };
    const first = normalizeAdvisory((await parse(DECEMBER[0]!))[0]!);
    const alerts = planAlerts(await store.upsertAdvisories([first], new Date('2025-12-08T23:00:00Z')), new Map(), config.subscriptions, { ...policy, rules: [...policy.rules] });
    expect(alerts).toHaveLength(1);
    const md = text(DECEMBER[0]!);
    const line22 = /^The 22\.x release line of Node\.js is vulnerable to (.*)$/m.exec(md)![1]!;
    const worst22 = ['critical', 'high', 'medium', 'low'].find((w) => line22.includes(`${w} severity`))!;
    expect(alerts[0]!.planning).toContain(`expect a ${worst22.toUpperCase()} fix for Node.js 22.x on ${titleDate(md)}`);
    expect(alerts[0]!.applyBy).toBeNull();
    expect(renderAlertText(alerts[0]!)).toContain(`PLANNED: expect a ${worst22.toUpperCase()} fix for Node.js 22.x on ${titleDate(md)}`);

    const moved = normalizeAdvisory((await parse(DECEMBER[1]!))[0]!);
    const revised = planAlerts(await store.upsertAdvisories([moved], new Date('2025-12-15T12:00:00Z')), new Map(), config.subscriptions, { ...policy, rules: [...policy.rules] });
    expect(revised.map((a) => a.change)).toEqual(['revised']);
    expect(revised[0]!.changes).toContainEqual({ kind: 'planned-date-moved', from: titleDate(md), to: titleDate(text(DECEMBER[1]!)) });

    const closed = (await parse(DECEMBER[3]!)).map((p) => normalizeAdvisory(p));
    const outcomes = await store.upsertAdvisories(closed, new Date('2026-01-19T00:00:00Z'));
    const finalAlerts = planAlerts(outcomes, new Map(), config.subscriptions, { ...policy, rules: [...policy.rules] });
    expect(finalAlerts.map((a) => a.advisory.kind)).not.toContain('advance-notice');
    expect(finalAlerts.length).toBe(ratedCves(text(DECEMBER[3]!)).filter(([, w]) => w === 'High').length);
  });
});

describe('matching Node.js notices and advisories to an inventory', () => {
  const items = [
    { name: 'on-22-before-fix', vendor: 'Node.js', product: 'Node.js', version: '22.21.0', instances: 1, collection: 'web' },
    { name: 'on-22-fixed', vendor: 'Node.js', product: 'Node.js', version: '22.22.0', instances: 1, collection: 'web' },
    { name: 'on-18', vendor: 'Node.js', product: 'Node.js', version: '18.20.0', instances: 1, collection: 'web' },
  ];
  const index = buildInventoryIndex(items, buildAliasTable({}));
  const policy = { rules: ['msrc-classic' as const], clockStart: 'release' as const };
  const hit = (a: Advisory) => matchAdvisory(a, index, policy).map((m) => m.item.name).sort();

  it('an open notice hits every item on an announced line; an advisory only those below its fixed version', async () => {
    const [notice] = (await parse(DECEMBER[0]!)).map((p) => normalizeAdvisory(p));
    expect(hit(notice!)).toEqual(['on-22-before-fix', 'on-22-fixed']);
    const final = (await parse(DECEMBER[3]!)).map((p) => normalizeAdvisory(p));
    // Fixed on 22.x in the version the post's "Downloads" list names for that line.
    const fixed22 = /\[Node\.js (22\.\d+\.\d+)\]/.exec(text(DECEMBER[3]!))![1]!;
    expect(fixed22).toBe('22.22.0');
    const all22 = final.slice(1).find((a) => a.cves[0] === 'CVE-2025-55131')!;
    expect(hit(all22)).toEqual(['on-22-before-fix']);
  });
});

describe('other Node.js series', () => {
  it.each(['january-2025', 'march-2026', 'june-2026'])('%s: same notice id before and after the release; every CVE rated', async (prefix) => {
    const series = files(`${prefix}-security-releases.`);
    const parsed = await Promise.all(series.map(parse));
    expect(new Set(parsed.map((p) => p[0]!.id)).size).toBe(1);
    const last: Advisory[] = parsed.at(-1)!.map((p) => normalizeAdvisory(p));
    const expected = [...text(series.at(-1)!).matchAll(/^## .*\((CVE-\d{4}-\d+)\) - \((\w+)\)\s*$/gm)].map((m) => [m[1]!, OURS[m[2]!.toLowerCase()]]);
    expect(last.slice(1).map((a) => [a.cves[0], a.severity])).toEqual(expected);
    expect(last[0]!.closedBy).toHaveLength(expected.length);
  });
});

describe('OpenSSL forthcoming-release mails', () => {
  // Hand-written in the wording of openssl-announce pre-notifications (no copy is in the corpus).
  const mail = (date: string) =>
    new TextEncoder().encode(
      `Date: Tue, 23 May 2023 14:00:00 +0000\nSubject: Forthcoming OpenSSL Releases\n\nThe OpenSSL project team would like to announce the forthcoming release\nof OpenSSL versions 3.1.1, 3.0.9 and 1.1.1u.\n\nThese releases will be made available on ${date}\nbetween 1300-1700 UTC.\n\nThese are security-fix releases. The highest severity issue fixed in\neach of these releases is Moderate:\n\nhttps://www.openssl.org/policies/secpolicy.html#moderate\n`,
    );
  const doc = (date: string) => ({ sourceId: 'openssl-announce', sourceKind: 'advance' as const, url: 'mail:1', body: mail(date), fetchedAt: new Date(0) });

  it('gives a notice with the planned date, the highest severity and the release lines; a moved date is a revision', async () => {
    const [n] = await parseAdvance(doc('Tuesday 30th May 2023'));
    expect(n).toMatchObject({ kind: 'advance-notice', plannedRelease: { date: '2023-05-30', maxSeverity: 'moderate' }, published: '2023-05-23T14:00:00.000Z' });
    expect(n!.products.map((p) => p.product)).toEqual(['OpenSSL', 'OpenSSL 3.1', 'OpenSSL 3.0', 'OpenSSL 1.1.1']);
    expect(planningLines(normalizeAdvisory(n!))).toEqual(['3.1', '3.0', '1.1.1'].map((l) => `expect a MODERATE fix for OpenSSL ${l} on 2023-05-30`));
    const [m] = await parseAdvance(doc('Thursday 1st June 2023'));
    expect(m!.id).toBe(n!.id);
    await store.upsertAdvisories([normalizeAdvisory(n!)], new Date('2023-05-23T14:00:00Z'));
    const [o] = await store.upsertAdvisories([normalizeAdvisory(m!)], new Date('2023-05-24T14:00:00Z'));
    expect([o!.status, o!.advisory.revision, o!.advisory.plannedRelease?.date]).toEqual(['revised', 2, '2023-06-01']);
  });

  it('refuses text that is no advance notification, naming the document', async () => {
    const bad = { ...doc('x'), body: new TextEncoder().encode('Hello, nothing to see here.') };
    await expect(parseAdvance(bad)).rejects.toThrow(ParseError);
    await expect(parseAdvance(bad)).rejects.toThrow(/mail:1: not a known advance notification/);
  });
});
