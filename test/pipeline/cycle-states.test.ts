import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { resolveConfig } from '../../src/config/load.js';
import { StoreError } from '../../src/errors.js';
import { runCycle, type CycleSummary } from '../../src/pipeline/index.js';
import { openStore, type SourceState } from '../../src/store/index.js';
import { fixedClock } from '../../src/util/clock.js';
import { createLogger } from '../../src/util/logger.js';
import { corpus } from '../helpers/corpus.js';
import { startServer, type TestServer } from '../helpers/http-server.js';

// A poll cycle reads every source's state in one query and saves its 304s' states in one
// transaction at its end; a 200 poll's state is saved as soon as its documents are in. Real parts:
// KEV catalogs over HTTP with ETags, a SQLite file, the pipeline's own runCycle.

const SOURCES = ['kev-a', 'kev-b', 'kev-c'];
const CATALOG = JSON.parse(corpus('kev/known_exploited_vulnerabilities.2025-08-21.json').toString('utf8')) as { vulnerabilities: unknown[] };
const ENTRIES = CATALOG.vulnerabilities;
const T0 = '2025-08-26T09:00:00.000Z';
const T1 = '2025-08-26T10:00:00.000Z';

/** Each source's catalog: one real entry (a different one per source), and its ETag. */
const catalogs = new Map<string, { etag: string; body: string }>();
function publish(id: string, entries: readonly unknown[], etag: string): void {
  catalogs.set(`/${id}.json`, { etag, body: JSON.stringify({ ...CATALOG, count: entries.length, vulnerabilities: entries }) });
}

/** Store calls by method name, and one method made to fail at will (a store fault). */
interface Faults {
  failing?: 'getSourceStates' | 'saveSourceStates';
}

let dir: string;
let server: TestServer;
let app: App;
let calls: Map<string, unknown[][]>;
let faults: Faults;
let logged: Record<string, unknown>[];
const clock = fixedClock(T0);

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'secwatch-cycle-states-'));
  SOURCES.forEach((id, i) => publish(id, [ENTRIES[i]], `"${id}-1"`));
  server = await startServer((req, res) => {
    const doc = catalogs.get(req.url ?? '');
    if (!doc) return res.writeHead(404).end();
    if (req.headers['if-none-match'] === doc.etag) return res.writeHead(304, { etag: doc.etag }).end();
    res.writeHead(200, { etag: doc.etag, 'content-type': 'application/json' }).end(doc.body);
  });
  calls = new Map();
  faults = {};
  logged = [];
  const real = await openStore(`sqlite:${join(dir, 'secwatch.db')}`);
  const store = new Proxy(real, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof prop !== 'string' || typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.set(prop, [...(calls.get(prop) ?? []), args]);
        if (faults.failing === prop) return Promise.reject(new StoreError(`${prop}: disk I/O error`));
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) logged.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const config = resolveConfig(
    { dataDir: dir, sources: SOURCES.map((id) => ({ id, kind: 'kev', url: `${server.url}/${id}.json` })), network: { allowPrivateHosts: ['127.0.0.1'] } },
    { baseDir: dir, env: {} },
  );
  clock.set(new Date(T0));
  app = await createApp(config, { clock, store, log: createLogger('error', { destination: sink }) });
  const first = await runCycle(app);
  expect(first.sources.map((r) => r.status)).toEqual(['ok', 'ok', 'ok']);
  calls.clear();
  server.requests.length = 0;
  clock.set(new Date(T1));
});

afterEach(async () => {
  await app.close();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const statuses = (s: CycleSummary): string[] => s.sources.map((r) => `${r.sourceId} ${r.status}`);
const callsOf = (method: string): unknown[][] => calls.get(method) ?? [];
const states = async (): Promise<Map<string, SourceState>> => app.store.getSourceStates(SOURCES);

describe('a poll cycle and its source states', () => {
  it('reads every state in one query and saves the 304s in one call, never row by row', async () => {
    const second = await runCycle(app);
    expect(statuses(second)).toEqual(['kev-a not-modified', 'kev-b not-modified', 'kev-c not-modified']);
    // The remembered ETags were sent: the states read in one query are the ones the polls used.
    expect(server.requests.map((r) => [r.url, r.headers['if-none-match']])).toEqual(SOURCES.map((id) => [`/${id}.json`, `"${id}-1"`]));
    expect(callsOf('getSourceStates')).toEqual([[SOURCES]]);
    expect(callsOf('saveSourceStates')).toHaveLength(1);
    expect(callsOf('getSourceState')).toEqual([]);
    expect(callsOf('saveSourceState')).toEqual([]);
    for (const [id, state] of await states()) {
      expect(state).toStrictEqual({ sourceId: id, validators: { etag: `"${id}-1"` }, lastPollAt: T1, lastSuccessAt: T1 });
    }
  });

  it("saves a 200 poll's state once its documents are in, and only the 304s' at the end", async () => {
    publish('kev-b', [ENTRIES[1], ENTRIES[3]], '"kev-b-2"');
    const second = await runCycle(app);
    expect(statuses(second)).toEqual(['kev-a not-modified', 'kev-b ok', 'kev-c not-modified']);
    expect(callsOf('saveSourceState').map(([s]) => (s as SourceState).sourceId)).toEqual(['kev-b']);
    expect(callsOf('saveSourceStates').map(([batch]) => (batch as SourceState[]).map((s) => s.sourceId).sort())).toEqual([['kev-a', 'kev-c']]);
    expect((await states()).get('kev-b')).toStrictEqual({ sourceId: 'kev-b', validators: { etag: '"kev-b-2"' }, lastPollAt: T1, lastSuccessAt: T1 });
  });

  it('a cycle whose 304 states are not saved loses only those: logged, and the next poll asks with the older validators', async () => {
    publish('kev-b', [ENTRIES[1], ENTRIES[3]], '"kev-b-2"');
    faults.failing = 'saveSourceStates';
    const second = await runCycle(app);
    expect(statuses(second)).toEqual(['kev-a not-modified', 'kev-b ok', 'kev-c not-modified']);
    expect(logged).toContainEqual(expect.objectContaining({ msg: 'could not save the state of the sources answered 304', err: 'saveSourceStates: disk I/O error' }));
    const after = await states();
    // The 200 poll's state was saved with its documents; the 304s keep the state of the cycle before.
    expect(after.get('kev-b')?.validators).toEqual({ etag: '"kev-b-2"' });
    expect(after.get('kev-a')).toStrictEqual({ sourceId: 'kev-a', validators: { etag: '"kev-a-1"' }, lastPollAt: T0, lastSuccessAt: T0 });

    faults = {};
    server.requests.length = 0;
    const third = await runCycle(app);
    expect(statuses(third)).toEqual(['kev-a not-modified', 'kev-b not-modified', 'kev-c not-modified']);
    expect(server.requests.map((r) => r.headers['if-none-match'])).toEqual(['"kev-a-1"', '"kev-b-2"', '"kev-c-1"']);
    expect((await states()).get('kev-a')?.lastPollAt).toBe(T1);
  });

  it('a failed read fails each source by name and cause, and the cycle still ends', async () => {
    faults.failing = 'getSourceStates';
    const second = await runCycle(app);
    expect(second.sources).toEqual(SOURCES.map((id) => ({ sourceId: id, status: 'error', code: 'STORE_FAILED', error: `${id}: getSourceStates: disk I/O error` })));
    // Nothing was fetched without the validators: no unconditional GET of every source.
    expect(server.requests).toEqual([]);
    faults = {};
    expect((await states()).get('kev-a')?.lastError).toBe('getSourceStates: disk I/O error');
    expect(statuses(await runCycle(app))).toEqual(['kev-a not-modified', 'kev-b not-modified', 'kev-c not-modified']);
  });
});
