import type { Advisory } from '../../src/model/advisory.js';

/**
 * A complete, valid Advisory for tests; pass only what the test is about. Nested objects are
 * replaced, not merged, so `{ remediation: {...} }` states the whole remediation.
 */
export function makeAdvisory(overrides: Partial<Advisory> = {}): Advisory {
  return {
    id: 'TEST-2024-0001',
    kind: 'advisory',
    source: { kind: 'rss', id: 'test-feed' },
    title: 'Remote code execution in Example Server',
    url: 'https://vendor.example/advisories/TEST-2024-0001',
    summary: 'A crafted request lets an unauthenticated attacker run code as the service user.',
    published: '2024-07-01T12:00:00.000Z',
    modified: '2024-07-01T12:00:00.000Z',
    cvss: [{ version: '3.1', score: 9.8, vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }],
    cves: ['CVE-2024-0001'],
    aliases: ['EXA-2024-07'],
    exploited: { exploited: false, publiclyDisclosed: false },
    products: [{ vendor: 'Example', product: 'Example Server', ranges: ['< 2.4.1'], fixed: ['2.4.1'] }],
    remediation: {
      fixedVersions: ['2.4.1'],
      url: 'https://vendor.example/downloads/2.4.1',
      action: 'Upgrade to 2.4.1.',
    },
    signature: { status: 'unsigned' },
    revision: 1,
    severity: 'critical',
    severitySource: 'vendor',
    ...overrides,
  };
}
