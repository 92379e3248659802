// Reminder settings in the config file: offsets as whole days, the interval as a duration.
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/load.js';
import { remindOffsets } from '../../src/remind/index.js';

const sub = (extra: Record<string, unknown>) => ({ subscriptions: [{ id: 'ops', channel: 'email', to: ['o@example.org'], ...extra }] });

describe('reminder config', () => {
  it('takes remindBefore per subscription and runner.remindEvery', () => {
    const c = resolveConfig({ ...sub({ remindBefore: ['7d', '0d'] }), runner: { remindEvery: '5m' } }, { baseDir: '/tmp', env: {} });
    expect(c.subscriptions[0]?.remindBefore).toEqual(['7d', '0d']);
    expect(c.runner.remindEvery).toBe(300_000);
  });

  it('refuses an offset that is not whole days, naming the key path', () => {
    expect(() => resolveConfig(sub({ remindBefore: ['3 days'] }), { baseDir: '/tmp', env: {} })).toThrow(/subscriptions\[0\]\.remindBefore\[0\]: must be whole days/);
    expect(() => resolveConfig(sub({ remindBefore: ['12h'] }), { baseDir: '/tmp', env: {} })).toThrow(/remindBefore/);
  });

  it('offsets: default 3d and 0d, ascending and unique; [] means none', () => {
    expect(remindOffsets(undefined)).toEqual([0, 3]);
    expect(remindOffsets(['7d', '1d', '7d'])).toEqual([1, 7]);
    expect(remindOffsets([])).toEqual([]);
  });
});
