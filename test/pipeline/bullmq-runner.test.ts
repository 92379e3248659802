import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { startWorkers, type Workers } from '../../src/pipeline/bullmq-runner.js';
import { runCycle } from '../../src/pipeline/cycle.js';
import { enqueueDueDeliveries, enqueuePolls } from '../../src/pipeline/jobs.js';
import { deliverJobId, ingestJobId, matchJobId, openQueues, pollJobId, type IngestJobData, type Queues } from '../../src/pipeline/queues.js';
import { fixedClock } from '../../src/util/clock.js';
import { silentLogger } from '../../src/util/logger.js';
import { pgSchemas } from '../helpers/postgres.js';
import { obliterateAll, queuesIdle, REDIS_TEST_URL, runnerConfig, snapshot, startReceiver, testPrefix, waitFor } from '../helpers/runner-fixture.js';

// The runner conformance check: the same corpus through the inline runner (SQLite) and through
// BullMQ jobs on the real Redis (PostgreSQL store) gives the same items, matches and deliveries,
// and the receiver accepts each alert exactly once.

const schemas = pgSchemas('runner');
const NOW = '2025-08-26T09:00:00Z';
const open = (config: Parameters<typeof createApp>[0]) => createApp(config, { clock: fixedClock(NOW), log: silentLogger, random: () => 0.5 });

let inlineHook: Awaited<ReturnType<typeof startReceiver>>;
let bullHook: Awaited<ReturnType<typeof startReceiver>>;
let inline: App;
let bull: App;
let queues: Queues;
let workers: Workers | undefined;
/** The first request for this key is refused with 503 (Retry-After: 0): the job must retry it. */
let refuseOnce: string | undefined;

beforeAll(async () => {
  inlineHook = await startReceiver();
  bullHook = await startReceiver((req, res) => {
    const id = String(req.headers['webhook-id']);
    if (id === refuseOnce) {
      refuseOnce = undefined;
      return res.writeHead(503, { 'retry-after': '0' }).end();
    }
    res.writeHead(204).end();
  });
  inline = await open(runnerConfig({ hookUrl: inlineHook.url, storeUrl: 'sqlite::memory:' }));
  bull = await open(runnerConfig({ hookUrl: bullHook.url, storeUrl: schemas.url() }));
  queues = openQueues({ redisUrl: REDIS_TEST_URL, prefix: testPrefix('runner') });
});

afterAll(async () => {
  await workers?.close();
  await obliterateAll(queues);
  await queues.close();
  await Promise.all([inline.close(), bull.close(), inlineHook.close(), bullHook.close()]);
  await schemas.dropAll();
});

const idle = queuesIdle;

describe('bullmq runner vs inline runner', () => {
  it('produces the same advisories, matches and deliveries from the same corpus', async () => {
    const summary = await runCycle(inline);
    expect(summary.deliveries.sent).toBeGreaterThan(20);

    // One delivery is refused once: the deliver job must come back for it and succeed.
    refuseOnce = 'matched:kev:CVE-2025-48384:1';
    workers = startWorkers(bull, queues, { concurrency: 4 });
    await enqueuePolls(bull, queues);
    await enqueuePolls(bull, queues); // asked twice in one slot: the same job ids, one poll each
    await waitFor('both polls done and every delivery settled', async () => {
      const pending = await bull.store.listDeliveries({ status: 'pending' });
      const retry = await bull.store.listDeliveries({ status: 'retry' });
      return (await bull.store.getSourceState('debian'))?.lastSuccessAt !== undefined && pending.length === 0 && retry.length === 0 && (await idle(queues));
    });

    const [a, b] = [await snapshot(inline.store), await snapshot(bull.store)];
    expect(b.advisories).toHaveLength(1407);
    expect(b).toEqual(a);
    expect(b.deliveries.every((d) => d.endsWith(':sent'))).toBe(true);
    expect(refuseOnce).toBeUndefined();
    // Every alert accepted once: the ids the receiver answered 2xx to are exactly the deliveries.
    const keys = (await bull.store.listDeliveries()).map((d) => d.key).sort();
    const accepted = bullHook.requests.map((r) => String(r.headers['webhook-id']));
    expect(new Set(accepted).size).toBe(keys.length);
    expect([...new Set(accepted)].sort()).toEqual(keys);
    expect(accepted.length).toBe(keys.length + 1); // the one refused attempt, then its retry
    expect(inlineHook.ids().sort()).toEqual(keys);
    expect((await bull.store.getDelivery('matched:kev:CVE-2025-48384:1'))?.attempts).toBe(2);

    // One ingest job per document, by source and hash, carrying no body (the store has it).
    const ingests = await queues.ingest.getCompleted(0, -1);
    expect(ingests.map((j) => j.id).sort()).toEqual(
      await Promise.all(
        ingests.map(async (j) => {
          const data = j.data as IngestJobData;
          expect(JSON.stringify(data).length).toBeLessThan(1_000);
          expect((await bull.store.getDocument(data.sha256))?.sourceId).toBe(data.sourceId);
          return ingestJobId(data.sourceId, data.sha256);
        }),
      ).then((ids) => ids.sort()),
    );
    expect(new Set(ingests.map((j) => (j.data as IngestJobData).sourceId))).toEqual(new Set(['cisa-kev', 'debian']));
    // One match job per new advisory revision, by id and revision.
    const matchIds = (await queues.match.getCompleted(0, -1)).map((j) => j.id).sort();
    expect(matchIds).toEqual((await bull.store.listAdvisories()).map((s) => matchJobId(s.advisory.id, s.advisory.revision)).sort());
  }, 120_000);

  it('never sends twice: re-queued deliveries and polls find the work done', async () => {
    const before = bullHook.requests.length;
    const sent = await bull.store.listDeliveries({ status: 'sent' });
    // Force jobs for already-sent deliveries (as a duplicated or replayed job would be).
    await queues.deliver.addBulk(sent.map((d) => ({ name: 'deliver', data: { deliveryKey: d.key }, opts: { jobId: `${deliverJobId(d.key)}-replay` } })));
    await queues.poll.add('poll', { sourceId: 'cisa-kev' }, { jobId: `${pollJobId('cisa-kev', 1, new Date())}-again` });
    await waitFor('replayed jobs processed', () => idle(queues));
    const completed = await queues.deliver.getCompleted(0, -1);
    const replayed = completed.filter((j) => j.id?.endsWith('-replay'));
    expect(replayed).toHaveLength(sent.length);
    expect(new Set(replayed.map((j) => j.returnvalue as unknown))).toEqual(new Set(['already-sent']));
    expect(bullHook.requests.length).toBe(before);
    expect(await enqueueDueDeliveries(bull, queues)).toBe(0);
    // A match job run again (a retried or duplicated job) plans the same alerts and records none.
    const replayMatch = await queues.match.add('match', { advisoryId: 'kev:CVE-2025-48384', revision: 1, status: 'new' }, { jobId: 'match-replay' });
    await waitFor('replayed match job done', async () => (await replayMatch.getState()) === 'completed');
    const matchAgain = (await queues.match.getJob('match-replay'))?.returnvalue as { planned: number; created: number };
    expect(matchAgain.created).toBe(0);
    expect(matchAgain.planned).toBeGreaterThan(0); // 'matched:kev:CVE-2025-48384:1' at least, already sent
    await waitFor('queues idle', () => idle(queues));
    expect(bullHook.requests.length).toBe(before);
  }, 120_000);

  it('sends a failed delivery put back by retryDelivery: a new job id, claimed and sent once more', async () => {
    const key = 'debian-all:debian:DSA-6508-1:1';
    const before = await bull.store.getDelivery(key);
    expect(before?.status).toBe('sent');
    // As if it had failed for good after its attempts; its old deliver job is still kept in Redis.
    await bull.store.updateDelivery(key, { status: 'failed', attempts: before?.attempts ?? 1, lastError: 'HTTP 410' });
    const requests = bullHook.ids().filter((id) => id === key).length;
    expect(await bull.store.retryDelivery(key, new Date())).toMatchObject({ outcome: 'retried', delivery: { status: 'pending' } });
    expect(await enqueueDueDeliveries(bull, queues)).toBe(1);
    await waitFor('the retried delivery sent', async () => (await bull.store.getDelivery(key))?.status === 'sent');
    await waitFor('queues idle', () => idle(queues));
    expect(await bull.store.getDelivery(key)).toMatchObject({ status: 'sent', attempts: (before?.attempts ?? 1) + 1 });
    expect(bullHook.ids().filter((id) => id === key)).toHaveLength(requests + 1);
  }, 120_000);

  it('collapses a delivery queued twice into one job (the job id is the delivery key)', async () => {
    const id = deliverJobId('sub:debian:DSA-1:1');
    expect(id).not.toContain(':');
    expect(deliverJobId('sub:debian:DSA-1:1', 1)).not.toBe(id);
    expect(deliverJobId('a:b%3Ac:1')).not.toBe(deliverJobId('a:b::c:1'));
    await queues.deliver.add('deliver', { deliveryKey: 'sub:debian:DSA-1:1' }, { jobId: id, delay: 3_600_000 });
    await queues.deliver.add('deliver', { deliveryKey: 'sub:debian:DSA-1:1' }, { jobId: id, delay: 3_600_000 });
    expect(await queues.deliver.getJobCounts('delayed')).toEqual({ delayed: 1 });
    await queues.deliver.remove(id);
  });
});
