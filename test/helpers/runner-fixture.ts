// A corpus-sized pipeline setup shared by the runner tests: the real KEV catalog and Debian feed
// from file://, an inventory, and webhook subscriptions to a receiver on 127.0.0.1.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { resolveConfig, type Config } from '../../src/config/load.js';
import { QUEUE_NAMES, type Queues } from '../../src/pipeline/queues.js';
import type { Store } from '../../src/store/index.js';
import { corpusPath } from './corpus.js';
import { startServer, type TestServer } from './http-server.js';

export const HOOK_SECRET = 'whsec_' + Buffer.from('secwatch-runner-secret-0123456789').toString('base64');
export const REDIS_TEST_URL = process.env.SECWATCH_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A BullMQ key prefix of its own per test file and run, so parallel files never share a queue. */
export function testPrefix(label: string): string {
  return `swtest-${label}-${randomBytes(4).toString('hex')}`;
}

/**
 * The raw config (what a YAML file would hold): `wide` adds a subscription to every KEV entry
 * (1,400+ alerts: a corpus-sized delivery load); otherwise only the inventory matches and the
 * Debian feed alert (~26). The webhook secret comes from $HOOK_SECRET.
 */
export function runnerRawConfig(opts: { hookUrl: string; storeUrl: string; wide?: boolean; prefix?: string; runner?: Record<string, unknown> }): { dir: string; raw: Record<string, unknown> } {
  const dir = mkdtempSync(join(tmpdir(), 'secwatch-runner-'));
  writeFileSync(
    join(dir, 'inventory.yaml'),
    [
      'items:',
      '  - { name: git build agents, vendor: Git, product: Git, version: 2.49.0, instances: 12, collection: ci }',
      '  - { name: session recording, vendor: Citrix, product: Session Recording, instances: 2, collection: dc, testsFirst: true }',
      '  - { name: debian chromium, vendor: Debian, product: chromium, instances: 100, collection: desktops }',
      '  - { name: exchange, vendor: Microsoft, product: Exchange Server, instances: 4, collection: dc }',
      '  - { name: windows, vendor: Microsoft, product: Windows, instances: 400, collection: desktops }',
    ].join('\n'),
  );
  const subscriptions: unknown[] = [
    { id: 'matched', channel: 'webhook', url: `${opts.hookUrl}/matched`, secretEnv: 'HOOK_SECRET', minSeverity: 'important', matchedOnly: true },
    { id: 'debian-all', channel: 'webhook', url: `${opts.hookUrl}/debian`, secretEnv: 'HOOK_SECRET', minSeverity: 'low', matchedOnly: false, sources: ['debian'] },
  ];
  if (opts.wide) {
    subscriptions.push({ id: 'kev-all', channel: 'webhook', url: `${opts.hookUrl}/kev`, secretEnv: 'HOOK_SECRET', minSeverity: 'low', matchedOnly: false, sources: ['cisa-kev'] });
  }
  const raw = {
    dataDir: dir,
    store: { url: opts.storeUrl },
    ...(opts.prefix === undefined && opts.runner === undefined ? {} : { runner: { ...(opts.prefix === undefined ? {} : { prefix: opts.prefix }), ...opts.runner } }),
    sources: [
      { id: 'cisa-kev', kind: 'kev', url: pathToFileURL(corpusPath('kev/known_exploited_vulnerabilities.2025-08-25.json')).href, interval: '6h' },
      { id: 'debian', kind: 'rss', url: pathToFileURL(corpusPath('vendor-rss/debian/dsa-long.3-item-excerpt.rdf')).href, vendor: 'Debian', defaultSeverity: 'important' },
    ],
    inventory: { files: [join(dir, 'inventory.yaml')] },
    subscriptions,
    network: { allowPrivateHosts: ['127.0.0.1'] },
  };
  return { dir, raw };
}

/** The same, validated and resolved, for an in-process app. */
export function runnerConfig(opts: Parameters<typeof runnerRawConfig>[0]): Config {
  const { dir, raw } = runnerRawConfig(opts);
  return resolveConfig(raw, { baseDir: dir, env: { HOOK_SECRET } });
}

/** The same, written as a config file (JSON is YAML) for worker processes; returns its path. */
export function writeRunnerConfig(opts: Parameters<typeof runnerRawConfig>[0]): string {
  const { dir, raw } = runnerRawConfig(opts);
  const file = join(dir, 'secwatch.yaml');
  writeFileSync(file, JSON.stringify(raw, null, 2));
  return file;
}

/** A webhook receiver: answers 204 and records every request; `ids()` are the webhook-ids it accepted. */
export async function startReceiver(handler?: Parameters<typeof startServer>[0]): Promise<TestServer & { ids(): string[] }> {
  const server = await startServer(handler ?? ((_req, res) => res.writeHead(204).end()));
  return { ...server, ids: () => server.requests.map((r) => String(r.headers['webhook-id'])) };
}

/** What a run left in the store, in a form two runs can be compared by. */
export async function snapshot(store: Store): Promise<{ advisories: string[]; matches: string[]; deliveries: string[] }> {
  const advisories = (await store.listAdvisories()).map((s) => `${s.advisory.id}@${s.advisory.revision}:${s.advisory.severity}`).sort();
  const matches = (await store.listMatches()).map((m) => `${m.advisoryId}→${m.item.collection}/${m.item.name}:${m.confidence}:${m.applyBy ?? '-'}`).sort();
  const deliveries = (await store.listDeliveries()).map((d) => `${d.key}:${d.status}`).sort();
  return { advisories, matches, deliveries };
}

/** Wait for a condition with generous, bounded polling; the message says what never happened. */
export async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Remove every stage queue's keys (test cleanup). */
export async function obliterateAll(queues: Queues): Promise<void> {
  await Promise.allSettled(QUEUE_NAMES.map((n) => queues[n].obliterate({ force: true })));
}

/** No job waiting, running or delayed in any stage queue (a job scheduler's next run does not count). */
export async function queuesIdle(queues: Queues): Promise<boolean> {
  const counts = await Promise.all(QUEUE_NAMES.map((n) => queues[n].getJobCounts('waiting', 'active', 'prioritized')));
  if (!counts.every((c) => Object.values(c).every((n) => n === 0))) return false;
  const delayed = await Promise.all(QUEUE_NAMES.map((n) => queues[n].getJobs(['delayed'], 0, -1)));
  return delayed.flat().every((j) => j.repeatJobKey !== undefined);
}
