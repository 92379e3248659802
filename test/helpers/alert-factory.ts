import type { Alert } from '../../src/deliver/channel.js';
import type { Advisory } from '../../src/model/advisory.js';
import type { Match } from '../../src/model/match.js';

/** A complete, valid advisory (a KEV-listed Exchange flaw) built by hand; override any field. */
export function makeAdvisory(overrides: Partial<Advisory> = {}): Advisory {
  return {
    id: 'CVE-2025-53786',
    kind: 'advisory',
    source: { kind: 'kev', id: 'cisa-kev' },
    title: 'Microsoft Exchange Server Hybrid Deployment Privilege Escalation',
    url: 'https://msrc.microsoft.com/update-guide/vulnerability/CVE-2025-53786',
    summary: 'An attacker with administrative access to an on-premises Exchange server can escalate privileges in the connected cloud tenant.',
    published: '2025-08-06T00:00:00Z',
    modified: '2025-08-07T12:00:00Z',
    cvss: [{ version: '3.1', score: 8, vector: 'CVSS:3.1/AV:N/AC:H/PR:H/UI:N/S:C/C:H/I:H/A:H' }],
    cves: ['CVE-2025-53786'],
    aliases: [],
    exploited: { kev: { dateAdded: '2025-08-07', dueDate: '2025-08-11', ransomware: true }, exploited: true },
    products: [{ vendor: 'Microsoft', product: 'Exchange Server', cpe: 'cpe:2.3:a:microsoft:exchange_server:2019:*:*:*:*:*:*:*' }],
    remediation: {
      kbs: ['KB5050009'],
      fixedVersions: ['15.2.1544.25'],
      url: 'https://techcommunity.microsoft.com/blog/exchange/dedicated-hybrid-app',
      action: 'Apply the April 2025 hotfix and switch to the dedicated hybrid app.',
    },
    signature: { status: 'not-checked' },
    revision: 1,
    severity: 'critical',
    severitySource: 'kev',
    ...overrides,
  };
}

/** One match of the advisory against an on-premises Exchange server. */
export function makeMatch(overrides: Partial<Match> = {}): Match {
  return {
    advisoryId: 'CVE-2025-53786',
    item: {
      name: 'Exchange 2019',
      vendor: 'Microsoft',
      product: 'Exchange Server',
      version: '15.2.1544.14',
      instances: 3,
      location: 'dc1/mail',
      collection: 'mail',
    },
    reason: 'CPE cpe:2.3:a:microsoft:exchange_server:2019 matches inventory cpe',
    confidence: 'high',
    applyBy: '2025-08-11',
    applyByRule: 'kev:dueDate',
    ...overrides,
  };
}

/** An alert as the pipeline would build it: one matched item, the KEV due date as apply-by. */
export function makeAlert(overrides: Partial<Alert> = {}): Alert {
  const advisory = overrides.advisory ?? makeAdvisory();
  return {
    id: 'ops-mail.CVE-2025-53786.r1',
    subscriptionId: 'ops-mail',
    change: 'new',
    advisory,
    matches: [makeMatch({ advisoryId: advisory.id })],
    applyBy: '2025-08-11',
    applyByRule: 'kev:dueDate',
    ...overrides,
  };
}
