// Store conformance for subscriptions, acknowledgements and the advisory query (migration 6):
// run by sqlite.test.ts and postgres.test.ts alike.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Subscription } from '../../src/model/subscription.js';
import type { Store } from '../../src/store/index.js';
import { sha256Hex } from '../../src/util/hash.js';
import { makeAdvisory } from '../helpers/advisory-factory.js';

const at = (minute: number): Date => new Date(Date.UTC(2024, 6, 1, 12, minute));

function makeSubscription(id: string, o: Partial<Subscription> = {}): Subscription {
  return {
    id,
    channel: 'email',
    target: `${id.toLowerCase()}@example.org`,
    settings: { minSeverity: 'important', matchedOnly: true, sources: ['kev'], kinds: ['advisory', 'reminder'] },
    status: 'pending',
    createdAt: at(1).toISOString(),
    updatedAt: at(1).toISOString(),
    ...o,
  };
}

export function describeSubscriptionContract(name: string, open: () => Promise<Store>): void {
  describe(`Store contract (subscriptions): ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => store.close());

    it('creates a subscription, finds it by id and by its token hash only', async () => {
      const sub = makeSubscription('S1');
      await store.createSubscription(sub, sha256Hex('token-1'));
      expect(await store.getSubscription('S1')).toEqual(sub);
      expect(await store.findSubscriptionByToken(sha256Hex('token-1'))).toEqual(sub);
      expect(await store.findSubscriptionByToken('token-1')).toBeUndefined();
      expect(await store.getSubscription('S2')).toBeUndefined();
      await expect(store.createSubscription(sub, sha256Hex('token-other'))).rejects.toThrow(/createSubscription/);
    });

    it('accepts more tokens for one subscription, refuses one for an unknown subscription', async () => {
      await store.createSubscription(makeSubscription('S1'), sha256Hex('a'));
      await store.addSubscriptionToken('S1', sha256Hex('b'), at(2));
      expect((await store.findSubscriptionByToken(sha256Hex('b')))?.id).toBe('S1');
      await expect(store.addSubscriptionToken('S9', sha256Hex('c'), at(2))).rejects.toThrow(/no subscription S9/);
    });

    it('updates status and settings, keeps what the update leaves out, and stamps updatedAt', async () => {
      await store.createSubscription(makeSubscription('S1'), sha256Hex('a'));
      const active = await store.updateSubscription('S1', { status: 'active' }, at(5));
      expect(active).toMatchObject({ status: 'active', target: 's1@example.org', updatedAt: at(5).toISOString(), createdAt: at(1).toISOString() });
      expect(active?.settings.sources).toEqual(['kev']);
      const changed = await store.updateSubscription('S1', { settings: { minSeverity: 'low', matchedOnly: false } }, at(6));
      expect(changed?.settings).toEqual({ minSeverity: 'low', matchedOnly: false });
      expect(changed?.status).toBe('active');
      expect(await store.updateSubscription('S9', { status: 'active' }, at(6))).toBeUndefined();
    });

    it('lists oldest first, filtered by status and channel', async () => {
      await store.createSubscription(makeSubscription('S2', { createdAt: at(2).toISOString(), status: 'active' }), sha256Hex('2'));
      await store.createSubscription(makeSubscription('S1', { createdAt: at(1).toISOString() }), sha256Hex('1'));
      await store.createSubscription(makeSubscription('S3', { createdAt: at(3).toISOString(), status: 'active', channel: 'webhook', target: 'https://h.example/x' }), sha256Hex('3'));
      expect((await store.listSubscriptions()).map((s) => s.id)).toEqual(['S1', 'S2', 'S3']);
      expect((await store.listSubscriptions({ status: 'active' })).map((s) => s.id)).toEqual(['S2', 'S3']);
      expect((await store.listSubscriptions({ status: 'active', channel: 'email' })).map((s) => s.id)).toEqual(['S2']);
      expect((await store.listSubscriptions({ limit: 1 })).map((s) => s.id)).toEqual(['S1']);
    });

    it('deletes a subscription with its tokens', async () => {
      await store.createSubscription(makeSubscription('S1'), sha256Hex('a'));
      expect(await store.deleteSubscription('S1')).toBe(true);
      expect(await store.deleteSubscription('S1')).toBe(false);
      expect(await store.findSubscriptionByToken(sha256Hex('a'))).toBeUndefined();
      // The token's hash is free again: a new subscription may get it.
      await store.createSubscription(makeSubscription('S2'), sha256Hex('a'));
      expect((await store.findSubscriptionByToken(sha256Hex('a')))?.id).toBe('S2');
    });

    it('records, replaces, lists and withdraws acknowledgements per match', async () => {
      const first = await store.acknowledge({ advisoryId: 'A', itemCollection: 'ci', itemName: 'git', status: 'applied', note: 'patched in CHG-1', acknowledgedAt: at(1) });
      expect(first).toEqual({ advisoryId: 'A', itemCollection: 'ci', itemName: 'git', status: 'applied', note: 'patched in CHG-1', acknowledgedAt: at(1).toISOString() });
      await store.acknowledge({ advisoryId: 'B', itemCollection: 'dc', itemName: 'citrix', status: 'not-applicable', acknowledgedAt: at(2) });
      const replaced = await store.acknowledge({ advisoryId: 'A', itemCollection: 'ci', itemName: 'git', status: 'not-applicable', acknowledgedAt: at(3) });
      expect(replaced.note).toBeUndefined();
      expect(await store.listAcknowledgements()).toEqual([replaced, { advisoryId: 'B', itemCollection: 'dc', itemName: 'citrix', status: 'not-applicable', acknowledgedAt: at(2).toISOString() }]);
      expect((await store.listAcknowledgements(['B'])).map((a) => a.advisoryId)).toEqual(['B']);
      expect(await store.removeAcknowledgement('A', 'ci', 'git')).toBe(true);
      expect(await store.removeAcknowledgement('A', 'ci', 'git')).toBe(false);
      expect((await store.listAcknowledgements()).map((a) => a.advisoryId)).toEqual(['B']);
    });

    describe('queryAdvisories', () => {
      beforeEach(async () => {
        await store.upsertAdvisories([makeAdvisory({ id: 'A', severity: 'critical', cves: ['CVE-2024-0001'], source: { kind: 'kev', id: 'kev' } })], at(1));
        await store.upsertAdvisories([makeAdvisory({ id: 'B', severity: 'low', cves: ['CVE-2024-0002'] })], at(2));
        await store.upsertAdvisories([makeAdvisory({ id: 'C', severity: 'important', kind: 'advance-notice', cves: [] })], at(3));
        await store.upsertAdvisories([makeAdvisory({ id: 'D', severity: 'important', cves: ['CVE-2024-0001', 'CVE-2024-0004'] })], at(3));
        await store.replaceMatches('B', [
          { advisoryId: 'B', item: { name: 'x', collection: 'c', instances: 1 }, reason: 'r', confidence: 'high', applyBy: null, applyByRule: 'none' },
        ]);
      });
      const ids = (p: { items: { advisory: { id: string } }[] }) => p.items.map((s) => s.advisory.id);

      it('filters by severity, source, kind, CVE (any case), matched and since', async () => {
        expect(ids(await store.queryAdvisories({ limit: 10 }))).toEqual(['C', 'D', 'B', 'A']);
        expect(ids(await store.queryAdvisories({ limit: 10, severities: ['critical', 'important'] }))).toEqual(['C', 'D', 'A']);
        expect(ids(await store.queryAdvisories({ limit: 10, sourceIds: ['kev'] }))).toEqual(['A']);
        expect(ids(await store.queryAdvisories({ limit: 10, kinds: ['advance-notice'] }))).toEqual(['C']);
        expect(ids(await store.queryAdvisories({ limit: 10, cve: 'cve-2024-0001' }))).toEqual(['D', 'A']);
        expect(ids(await store.queryAdvisories({ limit: 10, matched: true }))).toEqual(['B']);
        expect(ids(await store.queryAdvisories({ limit: 10, matched: false }))).toEqual(['C', 'D', 'A']);
        expect(ids(await store.queryAdvisories({ limit: 10, since: at(2).toISOString() }))).toEqual(['C', 'D', 'B']);
        expect(ids(await store.queryAdvisories({ limit: 10, severities: [] }))).toEqual([]);
      });

      it('pages with a cursor: every advisory once, in order, and no cursor after the last page', async () => {
        const seen: string[] = [];
        let cursor: string | undefined;
        for (let page = 0; page < 5; page++) {
          const res = await store.queryAdvisories({ limit: 1, ...(cursor ? { cursor } : {}) });
          seen.push(...ids(res));
          cursor = res.nextCursor;
          if (!cursor) break;
        }
        expect(seen).toEqual(['C', 'D', 'B', 'A']);
        const two = await store.queryAdvisories({ limit: 2, severities: ['important', 'low'] });
        expect(ids(two)).toEqual(['C', 'D']);
        const rest = await store.queryAdvisories({ limit: 2, severities: ['important', 'low'], cursor: two.nextCursor! });
        expect(ids(rest)).toEqual(['B']);
        expect(rest.nextCursor).toBeUndefined();
        await expect(store.queryAdvisories({ limit: 2, cursor: 'not-a-cursor' })).rejects.toThrow(/cursor/);
      });
    });
  });
}
