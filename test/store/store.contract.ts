// The Store conformance suite (STYLE.md B7): every adapter runs exactly these tests.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreError } from '../../src/errors.js';
import type { Advisory } from '../../src/model/advisory.js';
import type { Match } from '../../src/model/match.js';
import { deliveryKey } from '../../src/store/index.js';
import type { DeliveryRecord, NewDelivery, Store, StoredDocument, UpsertOutcome } from '../../src/store/index.js';
import { sha256Hex } from '../../src/util/hash.js';
import { makeAdvisory } from '../helpers/advisory-factory.js';

/** Fixed instants, minutes after 2024-07-01T12:00Z: nothing here reads the real clock. */
const at = (minute: number): Date => new Date(Date.UTC(2024, 6, 1, 12, minute));
const T1 = at(1);
const T2 = at(2);
const T3 = at(3);
const T4 = at(4);

const brief = (outcomes: UpsertOutcome[]) => outcomes.map((o) => [o.id, o.status, o.advisory.revision]);
const byKey = (ds: DeliveryRecord[]) => ds.map((d) => d.key).sort();

/** The same advisory with a change that must re-alert people (DESIGN.md "quiet revisions"). */
const materially = (a: Advisory, severity: Advisory['severity'] = 'important'): Advisory => ({ ...a, severity });

/** The same advisory, reworded: only wording, links, timestamps and CVE order differ. */
function reworded(a: Advisory): Advisory {
  return {
    ...a,
    title: `${a.title} (updated wording)`,
    summary: 'Reworded summary.',
    url: 'https://vendor.example/new-location',
    modified: '2024-07-02T08:00:00.000Z',
    cves: [...a.cves].reverse(),
    remediation: { ...a.remediation, url: 'https://mirror.example/2.4.1', action: 'Install 2.4.1 or later.' },
  };
}

function makeMatch(advisoryId: string, name: string, overrides: Partial<Match> = {}): Match {
  return {
    advisoryId,
    item: { name, collection: 'servers', vendor: 'Example', product: 'Example Server', version: '2.3.0', instances: 3 },
    reason: 'product name and version range',
    confidence: 'high',
    applyBy: '2024-07-15',
    applyByRule: 'msrc-classic:critical',
    ...overrides,
  };
}

function makeDelivery(o: Partial<Omit<NewDelivery, 'key'>> = {}): NewDelivery {
  const subscriptionId = o.subscriptionId ?? 'ops-mail';
  const advisoryId = o.advisoryId ?? 'TEST-2024-0001';
  const revision = o.revision ?? 1;
  return {
    key: deliveryKey(subscriptionId, advisoryId, revision),
    subscriptionId,
    advisoryId,
    revision,
    channel: o.channel ?? 'email',
    payload: o.payload ?? { subject: `[secwatch] ${advisoryId}`, severity: 'critical', lines: ['a', 'b'] },
    createdAt: o.createdAt ?? T1,
  };
}

function makeDocument(body: Uint8Array, overrides: Partial<StoredDocument> = {}): StoredDocument {
  return {
    sha256: sha256Hex(body),
    sourceId: 'test-feed',
    url: 'https://vendor.example/feed.xml',
    contentType: 'application/rss+xml',
    body,
    fetchedAt: T1.toISOString(),
    ...overrides,
  };
}

/** Register the Store contract for one adapter; `open` must return a fresh, empty store each call. */
export function describeStoreContract(name: string, open: () => Promise<Store>): void {
  describe(`Store contract: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    describe('upsertAdvisories', () => {
      const a = makeAdvisory({ id: 'A', cves: ['CVE-2024-0001', 'CVE-2024-0002'] });

      it('stores a new advisory as revision 1, whatever revision it came with', async () => {
        const out = await store.upsertAdvisories([{ ...a, revision: 7 }], T1);
        expect(out).toEqual([{ id: 'A', status: 'new', advisory: { ...a, revision: 1 } }]);
        expect(await store.getAdvisory('A')).toEqual({ advisory: { ...a, revision: 1 }, firstSeen: T1.toISOString(), updatedAt: T1.toISOString() });
        expect(await store.listRevisions('A')).toEqual([{ ...a, revision: 1 }]);
      });

      it('knows nothing of an advisory never stored', async () => {
        await store.upsertAdvisories([a], T1);
        expect(await store.getAdvisory('B')).toBeUndefined();
        expect(await store.listRevisions('B')).toEqual([]);
        expect(await store.upsertAdvisories([], T2)).toEqual([]);
      });

      it('reports an identical advisory as unchanged and does not touch it', async () => {
        await store.upsertAdvisories([a], T1);
        expect(await store.upsertAdvisories([{ ...a, revision: 5 }], T2)).toEqual([{ id: 'A', status: 'unchanged', advisory: { ...a, revision: 1 } }]);
        expect((await store.getAdvisory('A'))?.updatedAt).toBe(T1.toISOString());
        expect(await store.listRevisions('A')).toHaveLength(1);
      });

      it('bumps the revision on a material change and keeps the old one in history', async () => {
        await store.upsertAdvisories([a], T1);
        const changed = materially(a);
        expect(await store.upsertAdvisories([changed], T2)).toEqual([
          { id: 'A', status: 'revised', advisory: { ...changed, revision: 2 }, changes: [{ kind: 'severity-lowered', from: 'critical', to: 'important' }] },
        ]);
        expect(await store.getAdvisory('A')).toEqual({ advisory: { ...changed, revision: 2 }, firstSeen: T1.toISOString(), updatedAt: T2.toISOString() });
        expect(await store.listRevisions('A')).toEqual([{ ...a, revision: 1 }, { ...changed, revision: 2 }]);
        expect(brief(await store.upsertAdvisories([changed], T3))).toEqual([['A', 'unchanged', 2]]);
      });

      it.each<[string, Partial<Advisory>]>([
        ['severity', { severity: 'low' }],
        ['a new CVE', { cves: ['CVE-2024-0001', 'CVE-2024-0002', 'CVE-2024-0003'] }],
        ['exploitation', { exploited: { exploited: true, kev: { dateAdded: '2024-07-02', dueDate: '2024-07-23', ransomware: false } } }],
        ['affected products', { products: [{ vendor: 'Example', product: 'Example Server', fixed: ['2.4.2'] }] }],
        ['the fix', { remediation: { fixedVersions: ['2.4.2'], url: 'https://vendor.example/downloads/2.4.1', action: 'Upgrade to 2.4.1.' } }],
        ['kind', { kind: 'advance-notice' }],
        ['planned release', { plannedRelease: { date: '2024-07-09', maxSeverity: 'critical' } }],
      ])('treats a change of %s as a revision', async (_what, change) => {
        await store.upsertAdvisories([a], T1);
        expect(brief(await store.upsertAdvisories([{ ...a, ...change }], T2))).toEqual([['A', 'revised', 2]]);
      });

      it('says what changed on a revision, and keeps a typo fix in ranges or a dropped product quiet (updated)', async () => {
        await store.upsertAdvisories([a], T1);
        const typo = { ...a, products: a.products.map((p) => ({ ...p, ranges: ['<2.4.1'] })) };
        expect(brief(await store.upsertAdvisories([typo], T2))).toEqual([['A', 'updated', 1]]);
        expect(brief(await store.upsertAdvisories([{ ...typo, products: [] }], T3))).toEqual([['A', 'updated', 1]]);
        const [out] = await store.upsertAdvisories([{ ...typo, products: [], exploited: { kev: { dateAdded: '2024-07-02', dueDate: '2024-07-23', ransomware: false } } }], T4);
        expect([out?.status, out?.advisory.revision, out?.changes]).toEqual(['revised', 2, [{ kind: 'kev-added', dateAdded: '2024-07-02', dueDate: '2024-07-23' }]]);
      });

      it('stores a reworded but materially equal advisory as updated, same revision', async () => {
        await store.upsertAdvisories([a], T1);
        const b = reworded(a);
        expect(await store.upsertAdvisories([b], T2)).toEqual([{ id: 'A', status: 'updated', advisory: { ...b, revision: 1 } }]);
        expect(await store.getAdvisory('A')).toEqual({ advisory: { ...b, revision: 1 }, firstSeen: T1.toISOString(), updatedAt: T2.toISOString() });
        // The current revision's history entry is rewritten, not duplicated.
        expect(await store.listRevisions('A')).toEqual([{ ...b, revision: 1 }]);
      });

      it('keeps one history entry per revision through new, revised, updated, revised', async () => {
        const v2 = materially(a, 'important');
        const v2b = reworded(v2);
        const v3 = materially(v2b, 'moderate');
        const steps = [];
        for (const [v, t] of [[a, T1], [v2, T2], [v2b, T3], [v3, T4]] as const) steps.push(...brief(await store.upsertAdvisories([v], t)));
        expect(steps).toEqual([['A', 'new', 1], ['A', 'revised', 2], ['A', 'updated', 2], ['A', 'revised', 3]]);
        expect(await store.listRevisions('A')).toEqual([{ ...a, revision: 1 }, { ...v2b, revision: 2 }, { ...v3, revision: 3 }]);
        expect(await store.getAdvisory('A')).toMatchObject({ advisory: { ...v3, revision: 3 }, firstSeen: T1.toISOString(), updatedAt: T4.toISOString() });
      });

      it('answers a mixed batch per advisory, in input order', async () => {
        const b = makeAdvisory({ id: 'B' });
        await store.upsertAdvisories([a, b], T1);
        const c = makeAdvisory({ id: 'C' });
        const out = await store.upsertAdvisories([c, materially(b), a, materially(a, 'low')], T2);
        expect(brief(out)).toEqual([['C', 'new', 1], ['B', 'revised', 2], ['A', 'unchanged', 1], ['A', 'revised', 2]]);
      });

      it('sees its own earlier write when one batch holds the same id twice', async () => {
        expect(brief(await store.upsertAdvisories([a, materially(a)], T1))).toEqual([['A', 'new', 1], ['A', 'revised', 2]]);
        expect(await store.listRevisions('A')).toHaveLength(2);
      });

      it('stores 1,500 advisories in one call', async () => {
        const many = Array.from({ length: 1500 }, (_, i) => makeAdvisory({ id: `BULK-${String(i).padStart(4, '0')}` }));
        const first = await store.upsertAdvisories(many, T1);
        expect(first.filter((o) => o.status === 'new')).toHaveLength(1500);
        expect(await store.listAdvisories()).toHaveLength(1500);
        const again = await store.upsertAdvisories(many, T2);
        expect(again.every((o) => o.status === 'unchanged')).toBe(true);
        expect((await store.getAdvisory('BULK-1499'))?.advisory.id).toBe('BULK-1499');
      });

      it('writes nothing of a batch that fails part-way, and says which operation failed', async () => {
        const bad = makeAdvisory({ id: 'BAD', cvss: [{ version: '3.1', score: 10n as unknown as number }] });
        const result = store.upsertAdvisories([a, bad], T1);
        await expect(result).rejects.toBeInstanceOf(StoreError);
        await expect(result).rejects.toThrow(/upsertAdvisories/);
        expect(await store.getAdvisory('A')).toBeUndefined();
      });

      it('rejects an invalid date with a StoreError', async () => {
        await expect(store.upsertAdvisories([a], new Date('not a date'))).rejects.toBeInstanceOf(StoreError);
        expect(await store.getAdvisory('A')).toBeUndefined();
      });
    });

    describe('listAdvisories', () => {
      const ids = async (query?: Parameters<Store['listAdvisories']>[0]) => (await store.listAdvisories(query)).map((s) => s.advisory.id);

      it('lists the most recently changed first, then by id; unchanged upserts do not move', async () => {
        await store.upsertAdvisories([makeAdvisory({ id: 'B' }), makeAdvisory({ id: 'A' })], T1);
        await store.upsertAdvisories([makeAdvisory({ id: 'C' })], T2);
        expect(await ids()).toEqual(['C', 'A', 'B']);
        await store.upsertAdvisories([materially(makeAdvisory({ id: 'B' }))], T3);
        await store.upsertAdvisories([makeAdvisory({ id: 'A' })], T4);
        expect(await ids()).toEqual(['B', 'C', 'A']);
        expect(await ids({ limit: 2 })).toEqual(['B', 'C']);
        const [top] = await store.listAdvisories({ limit: 1 });
        expect(top).toEqual({ advisory: { ...materially(makeAdvisory({ id: 'B' })), revision: 2 }, firstSeen: T1.toISOString(), updatedAt: T3.toISOString() });
      });

      it('filters on the advisory source id', async () => {
        const from = (id: string, sourceId?: string) =>
          makeAdvisory({ id, source: sourceId === undefined ? { kind: 'kev' } : { kind: 'rss', id: sourceId } });
        await store.upsertAdvisories([from('D', 'feed-a'), from('B', 'feed-b'), from('C'), from('A', 'feed-a')], T1);
        expect(await ids({ sourceId: 'feed-a' })).toEqual(['A', 'D']);
        expect(await ids({ sourceId: 'feed-a', limit: 1 })).toEqual(['A']);
        expect(await ids({ sourceId: 'feed-b' })).toEqual(['B']);
        expect(await ids({ sourceId: 'nowhere' })).toEqual([]);
        expect(await ids()).toEqual(['A', 'B', 'C', 'D']);
      });
    });

    describe('getAdvisories', () => {
      it('reads many advisories in one call, by id, skipping unknown ids and duplicates', async () => {
        await store.upsertAdvisories([makeAdvisory({ id: 'C' }), makeAdvisory({ id: 'A' })], T1);
        await store.upsertAdvisories([materially(makeAdvisory({ id: 'A' })), makeAdvisory({ id: 'B' })], T2);
        const got = await store.getAdvisories(['C', 'nope', 'A', 'C']);
        expect(got.map((s) => s.advisory.id)).toEqual(['A', 'C']);
        expect(got[0]).toEqual(await store.getAdvisory('A'));
        expect(got[0]?.advisory.revision).toBe(2);
        expect(got[1]).toEqual({ advisory: { ...makeAdvisory({ id: 'C' }), revision: 1 }, firstSeen: T1.toISOString(), updatedAt: T1.toISOString() });
        expect(await store.getAdvisories([])).toEqual([]);
      });

      it('reads 2,500 ids in one call', async () => {
        await store.upsertAdvisories(Array.from({ length: 2_500 }, (_, i) => makeAdvisory({ id: `BULK-${String(i).padStart(4, '0')}` })), T1);
        const ids = Array.from({ length: 2_500 }, (_, i) => `BULK-${String(2_499 - i).padStart(4, '0')}`);
        const got = await store.getAdvisories(ids);
        expect(got).toHaveLength(2_500);
        expect(got[0]?.advisory.id).toBe('BULK-0000');
        expect(got[2_499]?.advisory.id).toBe('BULK-2499');
      });
    });

    describe('source state', () => {
      it('knows nothing of a source never saved', async () => {
        expect(await store.getSourceState('never')).toBeUndefined();
      });

      it('round-trips validators, an arbitrary JSON cursor and every field', async () => {
        const state = {
          sourceId: 'cisa-kev',
          validators: { etag: 'W/"abc"', lastModified: 'Mon, 01 Jul 2024 12:00:00 GMT' },
          cursor: { catalogVersion: '2024.07.01', seen: ['CVE-2024-1', 'CVE-2024-2'], page: 3, deep: { ok: true, none: null } },
          lastPollAt: T2.toISOString(),
          lastSuccessAt: T1.toISOString(),
          lastError: 'HTTP 503 from www.cisa.gov',
        };
        await store.saveSourceState(state);
        expect(await store.getSourceState('cisa-kev')).toEqual(state);
      });

      it.each<[string, unknown]>([
        ['null', null],
        ['a number', 0],
        ['a string', 'opaque-token'],
        ['an array', [1, 'two', { three: 3 }]],
      ])('round-trips %s as the cursor', async (_what, cursor) => {
        await store.saveSourceState({ sourceId: 's', validators: {}, cursor });
        expect((await store.getSourceState('s'))?.cursor).toEqual(cursor);
      });

      it('leaves absent fields absent', async () => {
        await store.saveSourceState({ sourceId: 's', validators: {} });
        expect(await store.getSourceState('s')).toStrictEqual({ sourceId: 's', validators: {} });
      });

      it('replaces the whole state on save and keeps sources apart', async () => {
        await store.saveSourceState({ sourceId: 's', validators: { etag: '"1"' }, cursor: { n: 1 }, lastSuccessAt: T1.toISOString() });
        await store.saveSourceState({ sourceId: 'other', validators: { etag: '"x"' } });
        const next = { sourceId: 's', validators: { lastModified: 'Tue, 02 Jul 2024 00:00:00 GMT' }, lastPollAt: T2.toISOString(), lastError: 'timeout' };
        await store.saveSourceState(next);
        expect(await store.getSourceState('s')).toStrictEqual(next);
        expect(await store.getSourceState('other')).toStrictEqual({ sourceId: 'other', validators: { etag: '"x"' } });
      });

      it('reads many sources in one call, by id, as getSourceState reads each; unknown ids have no entry', async () => {
        const full = { sourceId: 'a', validators: { etag: '"a"' }, cursor: null, lastPollAt: T2.toISOString(), lastSuccessAt: T1.toISOString(), lastError: 'HTTP 503' };
        await store.saveSourceState(full);
        await store.saveSourceState({ sourceId: 'b', validators: {} });
        await store.saveSourceState({ sourceId: 'not asked', validators: { etag: '"n"' } });
        const got = await store.getSourceStates(['b', 'never', 'a', 'b']);
        expect([...got.keys()].sort()).toEqual(['a', 'b']);
        expect(got.get('a')).toStrictEqual(full);
        expect(got.get('a')).toStrictEqual(await store.getSourceState('a'));
        expect(got.get('b')).toStrictEqual({ sourceId: 'b', validators: {} });
        expect(await store.getSourceStates([])).toEqual(new Map());
      });

      it('reads 2,500 sources in one call', async () => {
        const ids = Array.from({ length: 2_500 }, (_, i) => `feed-${i}`);
        await store.saveSourceStates(ids.map((sourceId, i) => ({ sourceId, validators: { etag: `"${i}"` } })));
        const got = await store.getSourceStates([...ids].reverse());
        expect(got.size).toBe(2_500);
        expect(got.get('feed-0')?.validators).toEqual({ etag: '"0"' });
        expect(got.get('feed-2499')?.validators).toEqual({ etag: '"2499"' });
      });

      it('saves many states in one call, each replacing its old state whole; a source given twice keeps the last', async () => {
        await store.saveSourceState({ sourceId: 's', validators: { etag: '"1"' }, cursor: { n: 1 }, lastError: 'timeout' });
        await store.saveSourceState({ sourceId: 'untouched', validators: { etag: '"u"' } });
        const s = { sourceId: 's', validators: { etag: '"2"' }, lastPollAt: T2.toISOString(), lastSuccessAt: T2.toISOString() };
        const t = { sourceId: 't', validators: {}, cursor: ['x'] };
        await store.saveSourceStates([{ sourceId: 't', validators: { etag: '"old"' } }, s, t]);
        expect(await store.getSourceStates(['s', 't', 'untouched'])).toEqual(
          new Map<string, unknown>([['s', s], ['t', t], ['untouched', { sourceId: 'untouched', validators: { etag: '"u"' } }]]),
        );
        expect(await store.getSourceState('s')).toStrictEqual(s);
        await store.saveSourceStates([]);
        expect(await store.getSourceState('t')).toStrictEqual(t);
      });

      it('saves all of the states or none, and names the operation when it fails', async () => {
        const before = { sourceId: 's', validators: { etag: '"1"' } };
        await store.saveSourceState(before);
        const cyclic: Record<string, unknown> = {};
        cyclic['self'] = cyclic;
        const result = store.saveSourceStates([{ sourceId: 's', validators: { etag: '"2"' } }, { sourceId: 'bad', validators: {}, cursor: cyclic }]);
        await expect(result).rejects.toBeInstanceOf(StoreError);
        await expect(result).rejects.toThrow(/saveSourceStates/);
        expect(await store.getSourceStates(['s', 'bad'])).toEqual(new Map([['s', before]]));
      });
    });

    describe('documents', () => {
      // Every byte value, including NUL and invalid UTF-8: signatures are over exact bytes.
      const bytes = Uint8Array.from({ length: 512 }, (_, i) => (i * 7) % 256);

      it('gives back the exact bytes and metadata', async () => {
        const doc = makeDocument(bytes);
        await store.putDocument(doc);
        const got = await store.getDocument(doc.sha256);
        expect(got).toEqual(doc);
        expect(got?.body).toBeInstanceOf(Uint8Array);
        expect(Buffer.from(got?.body ?? []).equals(Buffer.from(bytes))).toBe(true);
      });

      it('is idempotent: a second put of the same hash keeps the first', async () => {
        const doc = makeDocument(bytes);
        await store.putDocument(doc);
        await store.putDocument({ ...doc, url: 'https://mirror.example/feed.xml', fetchedAt: T2.toISOString() });
        expect(await store.getDocument(doc.sha256)).toEqual(doc);
      });

      it('keeps an empty body and an absent content type', async () => {
        const { contentType: _omitted, ...doc } = makeDocument(new Uint8Array(0));
        await store.putDocument(doc);
        const got = await store.getDocument(doc.sha256);
        expect(got?.body).toHaveLength(0);
        expect(got && 'contentType' in got).toBe(false);
        expect(await store.getDocument(sha256Hex('something else'))).toBeUndefined();
      });
    });

    describe('matches', () => {
      const sorted = (ms: Match[]) => [...ms].sort((x, y) => `${x.advisoryId}/${x.item.collection}/${x.item.name}`.localeCompare(`${y.advisoryId}/${y.item.collection}/${y.item.name}`));

      it('replaces the matches of one advisory instead of adding to them', async () => {
        await store.replaceMatches('A', [makeMatch('A', 'web-1'), makeMatch('A', 'web-2')]);
        const next = [makeMatch('A', 'web-2', { confidence: 'low', applyBy: null, applyByRule: 'none' }), makeMatch('A', 'db-1')];
        await store.replaceMatches('A', next);
        expect(sorted(await store.listMatches(['A']))).toEqual(sorted(next));
        await store.replaceMatches('A', []);
        expect(await store.listMatches(['A'])).toEqual([]);
      });

      it('lists by advisory id, leaving other advisories alone', async () => {
        const a = [makeMatch('A', 'web-1'), makeMatch('A', 'web-1', { item: { ...makeMatch('A', 'web-1').item, collection: 'laptops' } })];
        const b = [makeMatch('B', 'web-1')];
        const c = [makeMatch('C', 'db-1')];
        await store.replaceMatches('A', a);
        await store.replaceMatches('B', b);
        await store.replaceMatches('C', c);
        await store.replaceMatches('B', b);
        expect(sorted(await store.listMatches(['A', 'C', 'unknown']))).toEqual(sorted([...a, ...c]));
        expect(sorted(await store.listMatches())).toEqual(sorted([...a, ...b, ...c]));
        expect(await store.listMatches([])).toEqual([]);
      });

      it('lists the advisories with a match due in a day range, bounds included, each once', async () => {
        await store.replaceMatches('E', [makeMatch('E', 'web-1', { applyBy: '2024-07-09' }), makeMatch('E', 'web-2', { applyBy: '2024-07-30' })]);
        await store.replaceMatches('D', [makeMatch('D', 'web-1', { applyBy: '2024-07-10' }), makeMatch('D', 'web-2', { applyBy: '2024-07-12' })]);
        await store.replaceMatches('C', [makeMatch('C', 'web-1', { applyBy: '2024-07-20T00:00:00Z' })]);
        await store.replaceMatches('B', [makeMatch('B', 'web-1', { applyBy: '2024-07-21' })]);
        await store.replaceMatches('A', [makeMatch('A', 'web-1', { applyBy: null, applyByRule: 'none' })]);
        expect(await store.listAdvisoryIdsByApplyBy('2024-07-10', '2024-07-20')).toEqual(['C', 'D']);
        expect(await store.listAdvisoryIdsByApplyBy('2024-07-01', '2024-12-31')).toEqual(['B', 'C', 'D', 'E']);
        expect(await store.listAdvisoryIdsByApplyBy('2024-07-13', '2024-07-19')).toEqual([]);
        await store.replaceMatches('C', []);
        expect(await store.listAdvisoryIdsByApplyBy('2024-07-10', '2024-07-20')).toEqual(['D']);
      });

      it('refuses a match that belongs to another advisory', async () => {
        await store.replaceMatches('A', [makeMatch('A', 'web-1')]);
        await expect(store.replaceMatches('A', [makeMatch('B', 'web-2')])).rejects.toBeInstanceOf(StoreError);
        expect(await store.listMatches(['A'])).toEqual([makeMatch('A', 'web-1')]);
      });
    });

    describe('deliveries', () => {
      const pending = (d: NewDelivery): DeliveryRecord => {
        const { createdAt, ...rest } = d;
        return { ...rest, createdAt: createdAt.toISOString(), status: 'pending', attempts: 0 };
      };

      it('creates a delivery once: created, then exists, one row, first payload kept', async () => {
        const d = makeDelivery();
        expect(await store.createDelivery(d)).toBe('created');
        expect(await store.createDelivery({ ...d, channel: 'webhook', payload: { other: true }, createdAt: T2 })).toBe('exists');
        expect(await store.listDeliveries()).toStrictEqual([pending(d)]);
      });

      it('still says exists after the delivery was sent, and does not reset it', async () => {
        const d = makeDelivery();
        await store.createDelivery(d);
        await store.updateDelivery(d.key, { status: 'sent', attempts: 1, sentAt: T2 });
        expect(await store.createDelivery(d)).toBe('exists');
        expect(await store.listDeliveries()).toEqual([{ ...pending(d), status: 'sent', attempts: 1, sentAt: T2.toISOString() }]);
      });

      it('treats another revision or subscription as another delivery', async () => {
        expect(await store.createDelivery(makeDelivery({ revision: 1 }))).toBe('created');
        expect(await store.createDelivery(makeDelivery({ revision: 2 }))).toBe('created');
        expect(await store.createDelivery(makeDelivery({ subscriptionId: 'sec-hook' }))).toBe('created');
        expect(await store.listDeliveries()).toHaveLength(3);
      });

      it('lists as due the pending ones and the retries whose time has come, oldest first', async () => {
        const now = T3;
        const plan: [string, Parameters<Store['updateDelivery']>[1] | undefined][] = [
          ['late-pending', undefined],
          ['retry-past', { status: 'retry', attempts: 1, nextAttemptAt: T2 }],
          ['retry-now', { status: 'retry', attempts: 2, nextAttemptAt: now }],
          ['retry-future', { status: 'retry', attempts: 1, nextAttemptAt: T4 }],
          ['sent', { status: 'sent', attempts: 1, sentAt: T1 }],
          ['failed', { status: 'failed', attempts: 5, lastError: 'HTTP 410' }],
          ['early-pending', undefined],
        ];
        // Created in the reverse of the order listed, so "oldest first" is not insertion order.
        for (const [i, [advisoryId, update]] of plan.entries()) {
          const d = makeDelivery({ advisoryId, createdAt: at(-i) });
          await store.createDelivery(d);
          if (update) await store.updateDelivery(d.key, update);
        }
        const due = await store.listDueDeliveries(now);
        expect(due.map((d) => d.advisoryId)).toEqual(['early-pending', 'retry-now', 'retry-past', 'late-pending']);
        expect((await store.listDueDeliveries(now, 2)).map((d) => d.advisoryId)).toEqual(['early-pending', 'retry-now']);
        expect((await store.listDueDeliveries(T4)).map((d) => d.advisoryId)).toContain('retry-future');
      });

      it('round-trips an update, and clears fields a later update leaves out', async () => {
        const d = makeDelivery();
        await store.createDelivery(d);
        await store.updateDelivery(d.key, { status: 'retry', attempts: 1, nextAttemptAt: T2, lastError: 'HTTP 503' });
        expect(await store.listDeliveries()).toStrictEqual([
          { ...pending(d), status: 'retry', attempts: 1, nextAttemptAt: T2.toISOString(), lastError: 'HTTP 503' },
        ]);
        await store.updateDelivery(d.key, { status: 'sent', attempts: 2, sentAt: T3 });
        expect(await store.listDeliveries()).toStrictEqual([{ ...pending(d), status: 'sent', attempts: 2, sentAt: T3.toISOString() }]);
      });

      it('gets one delivery by key, as listed, or nothing for an unknown key', async () => {
        const d = makeDelivery();
        await store.createDelivery(d);
        await store.createDelivery(makeDelivery({ advisoryId: 'other' }));
        await store.updateDelivery(d.key, { status: 'retry', attempts: 1, nextAttemptAt: T2, lastError: 'HTTP 503' });
        expect(await store.getDelivery(d.key)).toStrictEqual((await store.listDeliveries()).find((r) => r.key === d.key));
        expect(await store.getDelivery(d.key)).toMatchObject({ status: 'retry', attempts: 1, nextAttemptAt: T2.toISOString() });
        expect(await store.getDelivery('nope:X:1')).toBeUndefined();
      });

      it('refuses to update a delivery that was never created', async () => {
        await expect(store.updateDelivery('nope:X:1', { status: 'sent', attempts: 1 })).rejects.toThrow(StoreError);
        expect(await store.listDeliveries()).toEqual([]);
      });

      it('claims due deliveries oldest first, once: a claimed one is neither due nor claimable until its lease ends', async () => {
        const ds = ['C', 'A', 'B'].map((advisoryId, i) => makeDelivery({ advisoryId, createdAt: at(10 - i) }));
        for (const d of ds) await store.createDelivery(d);
        const sent = makeDelivery({ advisoryId: 'S' });
        await store.createDelivery(sent);
        await store.updateDelivery(sent.key, { status: 'sent', attempts: 1, sentAt: T1 });
        const lease = 600_000; // ten minutes: past T3 and T4
        const first = await store.claimDeliveries({ now: T2, leaseMs: lease, limit: 2 });
        expect(first.map((d) => d.advisoryId)).toEqual(['B', 'A']);
        const until = new Date(T2.getTime() + lease).toISOString();
        expect(first.every((d) => d.claimedUntil === until && d.status === 'pending')).toBe(true);
        expect(await store.getDelivery(first[0]?.key ?? '')).toMatchObject({ claimedUntil: until });
        // Claimed ones are not due; the rest is claimed by the next call, then nothing is left.
        expect((await store.listDueDeliveries(T2)).map((d) => d.advisoryId)).toEqual(['C']);
        expect((await store.claimDeliveries({ now: T2, leaseMs: lease })).map((d) => d.advisoryId)).toEqual(['C']);
        expect(await store.claimDeliveries({ now: T3, leaseMs: lease })).toEqual([]);
        // The lease ends (the worker died): due and claimable again.
        const later = new Date(T2.getTime() + lease);
        expect((await store.listDueDeliveries(later)).map((d) => d.advisoryId)).toEqual(['B', 'A', 'C']);
        expect((await store.claimDeliveries({ now: later, leaseMs: lease })).map((d) => d.advisoryId)).toEqual(['B', 'A', 'C']);
      });

      it('claims one delivery by key only while it is due, and the outcome update releases the claim', async () => {
        const d = makeDelivery();
        const other = makeDelivery({ advisoryId: 'other' });
        for (const x of [d, other]) await store.createDelivery(x);
        expect((await store.claimDeliveries({ now: T2, leaseMs: 1_000, key: d.key })).map((r) => r.key)).toEqual([d.key]);
        expect(await store.claimDeliveries({ now: T2, leaseMs: 1_000, key: d.key })).toEqual([]);
        expect(await store.getDelivery(other.key)).not.toHaveProperty('claimedUntil');
        await store.updateDelivery(d.key, { status: 'retry', attempts: 1, nextAttemptAt: T3, lastError: 'HTTP 503' });
        expect(await store.getDelivery(d.key)).not.toHaveProperty('claimedUntil');
        expect(await store.claimDeliveries({ now: T2, leaseMs: 1_000, key: d.key })).toEqual([]); // retry not yet due
        expect(await store.claimDeliveries({ now: T3, leaseMs: 1_000, key: d.key })).toMatchObject([{ key: d.key, status: 'retry', attempts: 1 }]);
        await store.updateDelivery(d.key, { status: 'sent', attempts: 2, sentAt: T3 });
        expect(await store.claimDeliveries({ now: T4, leaseMs: 1_000, key: d.key })).toEqual([]);
        expect(await store.claimDeliveries({ now: T4, leaseMs: 1_000, key: 'nope:X:1' })).toEqual([]);
      });

      it('puts a failed delivery back to pending on retry, keeping attempts and the last error, and it is due again', async () => {
        const d = makeDelivery();
        await store.createDelivery(d);
        await store.updateDelivery(d.key, { status: 'failed', attempts: 8, lastError: 'gave up: HTTP 503' });
        expect(await store.listDueDeliveries(T4)).toEqual([]);
        const result = await store.retryDelivery(d.key, T3);
        const expected = { ...pending(d), attempts: 8, nextAttemptAt: T3.toISOString(), lastError: 'gave up: HTTP 503' };
        expect(result).toStrictEqual({ outcome: 'retried', delivery: expected });
        expect(await store.getDelivery(d.key)).toStrictEqual(expected);
        expect((await store.listDueDeliveries(T3)).map((r) => r.key)).toEqual([d.key]);
      });

      it('leaves a delivery that is not failed alone on retry, and says so; an unknown key is missing', async () => {
        const sent = makeDelivery({ advisoryId: 'S' });
        const waiting = makeDelivery({ advisoryId: 'R' });
        for (const d of [sent, waiting]) await store.createDelivery(d);
        await store.updateDelivery(sent.key, { status: 'sent', attempts: 1, sentAt: T2 });
        await store.updateDelivery(waiting.key, { status: 'retry', attempts: 2, nextAttemptAt: T4, lastError: 'HTTP 429' });
        const before = await store.listDeliveries();
        expect(await store.retryDelivery(sent.key, T3)).toStrictEqual({ outcome: 'not-failed', delivery: before.find((r) => r.key === sent.key) });
        expect(await store.retryDelivery(waiting.key, T3)).toMatchObject({ outcome: 'not-failed', delivery: { status: 'retry', nextAttemptAt: T4.toISOString() } });
        expect(await store.retryDelivery('nope:X:1', T3)).toStrictEqual({ outcome: 'missing' });
        expect(await store.listDeliveries()).toStrictEqual(before);
      });

      it('filters the list by status and subscription, and limits it', async () => {
        const mail = [makeDelivery({ advisoryId: 'A' }), makeDelivery({ advisoryId: 'B', createdAt: T2 })];
        const hook = makeDelivery({ subscriptionId: 'sec-hook', advisoryId: 'A', channel: 'webhook' });
        for (const d of [...mail, hook]) await store.createDelivery(d);
        await store.updateDelivery(mail[0]?.key ?? '', { status: 'failed', attempts: 3, lastError: 'bounced' });
        expect(byKey(await store.listDeliveries({ subscriptionId: 'ops-mail' }))).toEqual(mail.map((d) => d.key).sort());
        expect(byKey(await store.listDeliveries({ status: 'pending' }))).toEqual([mail[1]?.key, hook.key].sort());
        expect(byKey(await store.listDeliveries({ status: 'pending', subscriptionId: 'sec-hook' }))).toEqual([hook.key]);
        expect(await store.listDeliveries({ status: 'sent' })).toEqual([]);
        expect(await store.listDeliveries({ limit: 2 })).toHaveLength(2);
      });
    });

    describe('CVE index (listAdvisoriesByCves)', () => {
      const kev = makeAdvisory({ id: 'kev:CVE-2024-0001', source: { kind: 'kev', id: 'cisa-kev' }, cves: ['CVE-2024-0001'] });
      const msrc = makeAdvisory({ id: 'msrc:CVE-2024-0001', source: { kind: 'cvrf', id: 'msrc' }, cves: ['cve-2024-0001'] });
      const osv = makeAdvisory({ id: 'osv:GHSA-x', source: { kind: 'osv', id: 'ghsa' }, cves: ['CVE-2024-0001', 'CVE-2024-0002'] });
      const other = makeAdvisory({ id: 'debian:DSA-1', cves: ['CVE-2024-0003'] });
      const none = makeAdvisory({ id: 'vendor:no-cve', cves: [] });
      const ids = (list: { advisory: Advisory }[]) => list.map((s) => s.advisory.id);

      it('finds every source advisory naming a CVE, whatever its case, by id, with first-seen dates', async () => {
        await store.upsertAdvisories([other, kev, none], T1);
        await store.upsertAdvisories([msrc, osv], T2);
        const found = await store.listAdvisoriesByCves(['CVE-2024-0001']);
        expect(ids(found)).toEqual([kev.id, msrc.id, osv.id].sort());
        expect(found.find((s) => s.advisory.id === msrc.id)).toMatchObject({ firstSeen: T2.toISOString(), advisory: { revision: 1 } });
        expect(ids(await store.listAdvisoriesByCves([' cve-2024-0002', 'CVE-2024-0003']))).toEqual([other.id, osv.id].sort());
        expect(ids(await store.listAdvisoriesByCves(['CVE-2024-0001', 'CVE-2024-0002']))).toEqual([kev.id, msrc.id, osv.id].sort());
        expect(await store.listAdvisoriesByCves(['CVE-1999-9999'])).toEqual([]);
        expect(await store.listAdvisoriesByCves([])).toEqual([]);
      });

      it('follows a revision that drops or adds a CVE, and answers a batch of 1,500 CVEs', async () => {
        await store.upsertAdvisories([kev, osv], T1);
        await store.upsertAdvisories([{ ...osv, cves: ['CVE-2024-0002'] }], T2);
        expect(ids(await store.listAdvisoriesByCves(['CVE-2024-0001']))).toEqual([kev.id]);
        await store.upsertAdvisories([{ ...osv, cves: ['CVE-2024-0002', 'CVE-2024-0001'] }], T3);
        expect(ids(await store.listAdvisoriesByCves(['CVE-2024-0001']))).toEqual([kev.id, osv.id]);
        const many = Array.from({ length: 1500 }, (_, i) => makeAdvisory({ id: `kev:CVE-2020-${10000 + i}`, cves: [`CVE-2020-${10000 + i}`] }));
        await store.upsertAdvisories(many, T4);
        expect(await store.listAdvisoriesByCves(many.map((a) => a.cves[0] ?? ''))).toHaveLength(1500);
      });

      it('lists the deliveries of given advisories only', async () => {
        const a = makeDelivery({ advisoryId: kev.id });
        const b = makeDelivery({ advisoryId: msrc.id, subscriptionId: 'sec-hook', createdAt: T2 });
        const c = makeDelivery({ advisoryId: other.id });
        for (const d of [a, b, c]) await store.createDelivery(d);
        expect(byKey(await store.listDeliveries({ advisoryIds: [kev.id, msrc.id] }))).toEqual([a.key, b.key].sort());
        expect(byKey(await store.listDeliveries({ advisoryIds: [msrc.id], subscriptionId: 'ops-mail' }))).toEqual([]);
        expect(await store.listDeliveries({ advisoryIds: [] })).toEqual([]);
      });
    });

    describe('quarantine', () => {
      const entry = (o: Partial<{ sourceId: string; url: string; sha256: string; at: Date }> = {}) => ({
        sourceId: o.sourceId ?? 'acme-csaf',
        url: o.url ?? 'https://acme.example/csaf/2024/a-1.json',
        sha256: o.sha256 ?? sha256Hex('a-1'),
        status: 'bad',
        reason: 'verify: prefer, got bad: sha512 mismatch',
        checks: { hashes: [{ algorithm: 'sha512', status: 'mismatch' }], steps: ['sha512', 'signature'] },
        quarantinedAt: o.at ?? T1,
      });

      it('keeps an entry once per (source, url, bytes) and gives it back whole', async () => {
        expect(await store.quarantineDocument(entry())).toBe('created');
        expect(await store.quarantineDocument(entry({ at: T2 }))).toBe('exists');
        const { quarantinedAt: _at, ...rest } = entry();
        expect(await store.listQuarantine()).toEqual([{ ...rest, quarantinedAt: T1.toISOString() }]);
      });

      it('keeps changed bytes of the same document as another entry, lists newest first, filters by source', async () => {
        await store.quarantineDocument(entry());
        await store.quarantineDocument(entry({ sha256: sha256Hex('a-1 v2'), at: T3 }));
        await store.quarantineDocument(entry({ sourceId: 'other', at: T2 }));
        expect((await store.listQuarantine()).map((q) => [q.sourceId, q.quarantinedAt])).toEqual([
          ['acme-csaf', T3.toISOString()],
          ['other', T2.toISOString()],
          ['acme-csaf', T1.toISOString()],
        ]);
        expect(await store.listQuarantine({ sourceId: 'other' })).toHaveLength(1);
        expect(await store.listQuarantine({ limit: 1 })).toHaveLength(1);
      });
    });

    describe('close', () => {
      it('closes once, tolerates a second close, and refuses work afterwards', async () => {
        await store.close();
        await expect(store.close()).resolves.toBeUndefined();
        await expect(store.getAdvisory('A')).rejects.toBeInstanceOf(StoreError);
      });
    });
  });
}
