import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { beforeEach, describe, expect, it } from 'vitest';
import { deliveryKey, openStore, type DeliveryRecord, type Store } from '../../src/store/index.js';

// `secwatch deliveries` through the real CLI entry point (run from source with tsx, so it needs no build).

const run = promisify(execFile);
const MAIN = resolve('src/cli/main.ts');
const T1 = new Date('2024-07-01T12:00:00.000Z');

async function secwatch(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', MAIN, ...args], { env: { ...process.env, SECWATCH_LOG_LEVEL: 'warn' } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const lines = (stdout: string): DeliveryRecord[] => stdout.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as DeliveryRecord);

describe('secwatch deliveries', () => {
  let config: string;
  let storeUrl: string;
  const keys = { sent: deliveryKey('ops', 'A', 1), failed: deliveryKey('ops', 'B', 1), pending: deliveryKey('ops', 'C', 2) };

  beforeEach(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'secwatch-deliveries-'));
    storeUrl = `sqlite:${join(dir, 'secwatch.db')}`;
    config = join(dir, 'secwatch.yaml');
    writeFileSync(config, JSON.stringify({ dataDir: dir, store: { url: storeUrl }, sources: [], subscriptions: [] }));
    const store: Store = await openStore(storeUrl);
    try {
      for (const [i, key] of Object.values(keys).entries()) {
        const [subscriptionId = '', advisoryId = '', revision = '0'] = key.split(':');
        await store.createDelivery({ key, subscriptionId, advisoryId, revision: Number(revision), channel: 'webhook', payload: { i }, createdAt: new Date(T1.getTime() + i * 1000) });
      }
      await store.updateDelivery(keys.sent, { status: 'sent', attempts: 1, sentAt: T1 });
      await store.updateDelivery(keys.failed, { status: 'failed', attempts: 8, lastError: 'gave up after 8 attempts: HTTP 503' });
    } finally {
      await store.close();
    }
  });

  it('prints every delivery as one JSON line, oldest first, and filters by status', async () => {
    const all = await secwatch(['deliveries', '--config', config]);
    expect(all.code).toBe(0);
    expect(lines(all.stdout).map((d) => [d.key, d.status])).toEqual([
      [keys.sent, 'sent'],
      [keys.failed, 'failed'],
      [keys.pending, 'pending'],
    ]);
    const failed = await secwatch(['deliveries', '--config', config, '--status', 'failed']);
    expect(lines(failed.stdout)).toMatchObject([{ key: keys.failed, attempts: 8, lastError: 'gave up after 8 attempts: HTTP 503', payload: { i: 1 } }]);
    expect((await secwatch(['deliveries', '--config', config, '--status', 'retry'])).stdout).toBe('');
  });

  it('retries a failed delivery: pending again, attempts and last error kept, printed and stored', async () => {
    const retried = await secwatch(['deliveries', '--config', config, '--retry', keys.failed]);
    expect(retried.code).toBe(0);
    expect(lines(retried.stdout)).toMatchObject([{ key: keys.failed, status: 'pending', attempts: 8, lastError: 'gave up after 8 attempts: HTTP 503' }]);
    const store = await openStore(storeUrl);
    try {
      expect(await store.getDelivery(keys.failed)).toMatchObject({ status: 'pending', attempts: 8 });
      expect((await store.listDueDeliveries(new Date())).map((d) => d.key)).toEqual([keys.failed, keys.pending]);
    } finally {
      await store.close();
    }
  });

  it('refuses to retry a delivery that is not failed, or does not exist, with a message naming it', async () => {
    const sent = await secwatch(['deliveries', '--config', config, '--retry', keys.sent]);
    expect(sent.code).toBe(1);
    expect(sent.stderr).toContain(`delivery ${keys.sent} is sent, not failed`);
    const missing = await secwatch(['deliveries', '--config', config, '--retry', 'nope:X:1']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no delivery with key nope:X:1');
    const bad = await secwatch(['deliveries', '--config', config, '--status', 'lost']);
    expect(bad.code).not.toBe(0);
  });
});
