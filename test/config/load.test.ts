import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfigFile, resolveConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/errors.js';

const minimal = { sources: [{ id: 'kev', kind: 'kev', url: 'file:samples/kev.json' }] };

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('config', () => {
  it('applies defaults and resolves relative paths against the config folder', () => {
    const c = resolveConfig(minimal, { baseDir: '/etc/secwatch', env: {} });
    expect(c.sources[0]).toMatchObject({ url: 'file:///etc/secwatch/samples/kev.json', interval: 3_600_000, enabled: true });
    expect(c.storeUrl).toBe('sqlite:/etc/secwatch/var/secwatch.db');
    expect(c.fetch.maxBytes).toBe(20 * 1024 * 1024);
    expect(c.policy.applyBy).toEqual(['msrc-classic', 'kev']);
  });

  it('lets SECWATCH_DATABASE_URL override the store', () => {
    const c = resolveConfig(minimal, { baseDir: '/x', env: { SECWATCH_DATABASE_URL: 'sqlite:/tmp/other.db' } });
    expect(c.storeUrl).toBe('sqlite:/tmp/other.db');
  });

  it('names the key path and the problem', () => {
    const err = configError(() => resolveConfig({ sources: [minimal.sources[0], { id: 'x', kind: 'rss', url: 'ftp://nope' }] }, { env: {} }));
    expect(err.path).toBe('sources[1].url');
    expect(err.message).toMatch(/sources\[1\]\.url: must be an http\(s\):\/\/ or file: URL/);
  });

  it('rejects unknown keys, bad durations and duplicate ids', () => {
    expect(configError(() => resolveConfig({ sorces: [] }, { env: {} })).message).toMatch(/sorces/);
    expect(configError(() => resolveConfig({ sources: [{ ...minimal.sources[0], interval: 'soon' }] }, { env: {} })).message).toMatch(
      /sources\[0\]\.interval: "soon" is not a duration/,
    );
    const dup = configError(() => resolveConfig({ sources: [minimal.sources[0], minimal.sources[0]] }, { env: {} }));
    expect(dup.message).toMatch(/sources\[1\]\.id: duplicate source id "kev"/);
  });

  it('takes webhook secrets from the environment and says which variable is missing, never its value', () => {
    const sub = { id: 'hook', channel: 'webhook', url: 'https://hooks.example.org/x', secretEnv: 'HOOK_SECRET' };
    const missing = configError(() => resolveConfig({ subscriptions: [sub] }, { env: {} }));
    expect(missing.message).toMatch(/subscriptions\[0\]\.secretEnv: environment variable HOOK_SECRET is not set/);
    const bad = configError(() => resolveConfig({ subscriptions: [sub] }, { env: { HOOK_SECRET: 'hunter2' } }));
    expect(bad.message).not.toContain('hunter2');
    const ok = resolveConfig({ subscriptions: [sub] }, { env: { HOOK_SECRET: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' } });
    expect(ok.subscriptions[0]).toMatchObject({ targetUrl: 'https://hooks.example.org/x', secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' });
  });

  it('takes the Slack webhook URL from the environment and names a missing variable, never the value', () => {
    const sub = { id: 'chat', channel: 'slack', urlEnv: 'SLACK_HOOK' };
    const missing = configError(() => resolveConfig({ subscriptions: [sub] }, { env: {} }));
    expect(missing.path).toBe('subscriptions[0].urlEnv');
    expect(missing.message).toMatch(/subscriptions\[0\]\.urlEnv: environment variable SLACK_HOOK is not set/);
    expect(configError(() => resolveConfig({ subscriptions: [{ id: 'chat', channel: 'slack' }] }, { env: {} })).message).toMatch(/urlEnv/);
    const url = 'https://hooks.slack.com/services/T1/B2/secretpart';
    const ok = resolveConfig({ subscriptions: [sub] }, { env: { SLACK_HOOK: url } });
    expect(ok.subscriptions[0]).toMatchObject({ channel: 'slack', targetUrl: url });
  });

  it('reports unreadable files and invalid YAML with the file name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'secwatch-config-'));
    const file = join(dir, 'broken.yaml');
    writeFileSync(file, 'sources: [\n  - id: x\n');
    expect(configError(() => loadConfigFile(file)).message).toMatch(/broken\.yaml: not valid YAML/);
    expect(configError(() => loadConfigFile(join(dir, 'absent.yaml'))).message).toMatch(/absent\.yaml: cannot read config/);
  });

  it('loads the bundled demo and example configs', () => {
    expect(loadConfigFile('config/demo.yaml', {}).sources.map((s) => s.id)).toEqual(['cisa-kev', 'debian']);
    const env = { SECWATCH_SECOPS_WEBHOOK_URL: 'https://siem.example.org/h', SECWATCH_SECOPS_WEBHOOK_SECRET: 'whsec_dGVzdA==', SECWATCH_SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T/B/x', SECWATCH_TEAMS_WEBHOOK_URL: 'https://prod-00.westeurope.logic.azure.com/workflows/x' };
    expect(loadConfigFile('config/secwatch.example.yaml', env).sources.length).toBeGreaterThan(3);
  });
});
