import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/load.js';
import { deliverJobId, pollJobId } from '../../src/pipeline/queues.js';

describe('bullmq job ids', () => {
  it('derives a delivery job id from the key: no ":" (BullMQ refuses it), and distinct keys stay distinct', () => {
    const keys = ['ops:kev:CVE-2025-1:1', 'ops:kev:CVE-2025-1:2', 'ops:kev%3ACVE-2025-1:1', 'ops%3Akev:CVE-2025-1:1', 'a:b::c:1', 'a:b%3A%3Ac:1'];
    const ids = keys.map((k) => deliverJobId(k));
    expect(ids.every((id) => !id.includes(':'))).toBe(true);
    expect(new Set(ids).size).toBe(keys.length);
    expect(deliverJobId('ops:kev:CVE-2025-1:1')).toBe(deliverJobId('ops:kev:CVE-2025-1:1'));
    // Another attempt count (a delivery put back after failing) is another job.
    expect(deliverJobId('ops:kev:CVE-2025-1:1', 3)).not.toBe(deliverJobId('ops:kev:CVE-2025-1:1', 0));
  });

  it('gives one poll job id per source and interval slot', () => {
    const hour = 3_600_000;
    const at = (iso: string) => new Date(iso);
    expect(pollJobId('kev', hour, at('2025-08-26T09:00:00Z'))).toBe(pollJobId('kev', hour, at('2025-08-26T09:59:59Z')));
    expect(pollJobId('kev', hour, at('2025-08-26T09:59:59Z'))).not.toBe(pollJobId('kev', hour, at('2025-08-26T10:00:00Z')));
    expect(pollJobId('kev', hour, at('2025-08-26T09:00:00Z'))).not.toBe(pollJobId('debian', hour, at('2025-08-26T09:00:00Z')));
  });
});

describe('runner choice', () => {
  it('is bullmq when REDIS_URL is set, inline otherwise, and runner.kind wins over both', () => {
    expect(resolveConfig({}, { env: {} })).toMatchObject({ runnerKind: 'inline', redisUrl: undefined });
    expect(resolveConfig({}, { env: { REDIS_URL: 'redis://r:6379' } })).toMatchObject({ runnerKind: 'bullmq', redisUrl: 'redis://r:6379' });
    expect(resolveConfig({ runner: { kind: 'inline' } }, { env: { REDIS_URL: 'redis://r:6379' } }).runnerKind).toBe('inline');
    expect(resolveConfig({}, { env: { SECWATCH_REDIS_URL: 'redis://a', REDIS_URL: 'redis://b' } }).redisUrl).toBe('redis://a');
    expect(resolveConfig({}, { env: {} }).runner).toMatchObject({ prefix: 'secwatch', deliveriesPerSecond: 0, concurrency: 4 });
    expect(() => resolveConfig({ runner: { prefix: 'bad prefix:x' } }, { env: {} })).toThrow(/runner\.prefix/);
  });
});
