// `secwatch feed --subscription ID` (the compiled CLI: `npm test` builds first): what that
// subscription's personal feed holds.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { corpusPath } from '../helpers/corpus.js';

const BIN = fileURLToPath(new URL('../../bin/secwatch.js', import.meta.url));
const KEV = corpusPath('kev/known_exploited_vulnerabilities.2025-08-25.json');

function cli(...args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, SECWATCH_LOG_LEVEL: 'silent', REDIS_URL: '', SECWATCH_REDIS_URL: '' } });
}

describe('secwatch feed --subscription', () => {
  it("prints the subscription's items only, and fails on an unknown id", () => {
    const dir = mkdtempSync(join(tmpdir(), 'secwatch-feed-sub-'));
    writeFileSync(join(dir, 'inventory.yaml'), 'items:\n  - { name: erp, vendor: Apache, product: OFBiz, instances: 2, collection: apps }\n');
    const config = join(dir, 'secwatch.yaml');
    writeFileSync(
      config,
      [
        'sources:',
        `  - { id: cisa-kev, kind: kev, url: "${pathToFileURL(KEV).href}" }`,
        'inventory: { files: [inventory.yaml] }',
        'email: { transport: outbox }',
        'subscriptions:',
        '  - { id: ops, channel: email, to: [ops@example.org] }',
        '  - { id: elsewhere, channel: email, to: [b@example.org], sources: [debian] }',
        '',
      ].join('\n'),
    );
    expect(cli('run', '--once', '--config', config).status).toBe(0);
    const expected = (JSON.parse(readFileSync(KEV, 'utf8')) as { vulnerabilities: { cveID: string; vendorProject: string; product: string }[] }).vulnerabilities
      .filter((v) => v.vendorProject === 'Apache' && v.product === 'OFBiz')
      .map((v) => `kev:${v.cveID}`);
    const ops = cli('feed', '--config', config, '--subscription', 'ops');
    expect(ops.status, ops.stderr).toBe(0);
    expect((JSON.parse(ops.stdout) as { items: { id: string }[] }).items.map((i) => i.id).sort()).toEqual(expected.sort());
    expect((JSON.parse(cli('feed', '--config', config, '--subscription', 'elsewhere').stdout) as { items: unknown[] }).items).toEqual([]);
    const unknown = cli('feed', '--config', config, '--subscription', 'nope');
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/no subscription "nope"/);
  }, 120_000);
});
