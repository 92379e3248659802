// The web view models: pure functions from store data to what the templates show.
import { describe, expect, it } from 'vitest';
import type { Advisory } from '../../src/model/advisory.js';
import type { Match } from '../../src/model/match.js';
import type { Subscription } from '../../src/model/subscription.js';
import { advanceNoticesView } from '../../src/web/views/advance-notices.js';
import { advisoriesView, parseAdvisoryFilters, storeQuery } from '../../src/web/views/advisories.js';
import { advisoryDetailView, signatureText } from '../../src/web/views/advisory-detail.js';
import { deadlinesView, dueText, groupOf } from '../../src/web/views/deadlines.js';
import { sourcesView } from '../../src/web/views/sources.js';
import { settingsFromForm, subscriptionFormView } from '../../src/web/views/subscription.js';
import { makeAdvisory } from '../helpers/advisory-factory.js';

const TODAY = '2025-09-10';

function match(advisoryId: string, item: string, applyBy: string | null, collection = 'prod'): Match {
  return { advisoryId, item: { name: item, instances: 3, collection, vendor: 'Example', product: 'Example Server', version: '2.4.0', location: 'rack 7' }, reason: 'cpe', confidence: 'high', applyBy, applyByRule: `rule for ${item}` };
}

describe('deadlinesView', () => {
  const a = (id: string, severity: Advisory['severity']) => makeAdvisory({ id, severity, title: `title ${id}` });
  const advisories = new Map([a('A', 'important'), a('B', 'critical'), a('C', 'low'), a('D', 'moderate')].map((x) => [x.id, x]));

  it('groups by apply-by against today, earliest first, worse severity first on the same day, and leaves out acknowledged matches', () => {
    const view = deadlinesView({
      matches: [match('A', 'web', '2025-09-09'), match('B', 'web', '2025-09-09'), match('C', 'db', '2025-09-16'), match('D', 'db', '2025-09-17'), match('A', 'db', null), match('B', 'db', '2025-08-01')],
      advisories,
      acknowledgements: [{ advisoryId: 'B', itemCollection: 'prod', itemName: 'db', status: 'not-applicable', note: 'not exposed', acknowledgedAt: '2025-09-09T10:00:00Z' }],
      today: TODAY,
    });
    expect(view.groups.map((g) => [g.id, g.rows.map((r) => `${r.advisoryId}/${r.itemName}`)])).toEqual([
      ['overdue', ['B/web', 'A/web']],
      ['this-week', ['C/db']],
      ['later', ['D/db']],
      ['no-date', ['A/db']],
    ]);
    expect(view.open).toBe(5);
    expect(view.groups[0]!.rows[0]).toMatchObject({ severity: 'Critical', product: 'Example Server 2.4.0', instances: 3, location: 'rack 7', collection: 'prod', rule: 'rule for web', dueText: '1 day overdue', href: '/ui/advisories/B' });
    expect(view.acknowledged).toMatchObject([{ advisoryId: 'B', itemName: 'db', status: 'Not applicable', note: 'not exposed' }]);
    // Form ids stay unique across the page (labels point at them).
    const ids = view.groups.flatMap((g) => g.rows.map((r) => r.formId));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('skips a match whose advisory is gone rather than failing', () => {
    expect(deadlinesView({ matches: [match('GONE', 'x', TODAY)], advisories, acknowledgements: [], today: TODAY }).open).toBe(0);
  });

  it('words the distance to the date', () => {
    expect([dueText('2025-09-10', TODAY), dueText('2025-09-11', TODAY), dueText('2025-09-01', TODAY), dueText(null, TODAY)]).toEqual(['due today', 'due in 1 day', '9 days overdue', 'no date set by the policy']);
    expect([groupOf('2025-09-16', TODAY), groupOf('2025-09-17', TODAY), groupOf('2025-09-09', TODAY)]).toEqual(['this-week', 'later', 'overdue']);
  });
});

describe('advisory filters', () => {
  it('reads good values, names bad ones and turns a severity into a floor for the store', () => {
    const { filters, problems } = parseAdvisoryFilters({ severity: 'important', source: 'kev', kind: 'advisory', cve: 'cve-2025-1234', matched: 'yes', from: '2025-01-01', to: 'soon', q: ' Git  ', cursor: 'junk' });
    expect(filters).toEqual({ severity: 'important', source: 'kev', kind: 'advisory', cve: 'CVE-2025-1234', matchedOnly: true, from: '2025-01-01', q: 'Git' });
    expect(problems).toEqual(['to: "soon" is not a date (YYYY-MM-DD)', 'cursor: "junk" is not a page cursor this list gave out']);
    expect(storeQuery(filters, 50)).toEqual({
      limit: 50,
      severities: ['critical', 'important'],
      sourceIds: ['kev'],
      kinds: ['advisory'],
      cve: 'CVE-2025-1234',
      matched: true,
      text: 'Git',
      publishedFrom: '2025-01-01',
    });
  });

  it('hands the search words and the published range to the store, and refuses a day that does not exist', () => {
    const { filters, problems } = parseAdvisoryFilters({ q: 'example cve-2024-0001', from: '2025-03-04', to: '2025-02-30' });
    expect(storeQuery(filters, 200)).toEqual({ limit: 200, text: 'example cve-2024-0001', publishedFrom: '2025-03-04' });
    expect(problems).toEqual(['to: "2025-02-30" is not a date (YYYY-MM-DD)']);
  });

  it('rows carry matched/KEV marks and the next-page link keeps the filters', () => {
    const kev = makeAdvisory({ id: 'kev:CVE-1', exploited: { kev: { dateAdded: '2025-01-01', dueDate: '2025-01-22', ransomware: false } } });
    const view = advisoriesView({
      items: [{ advisory: kev, firstSeen: 'x', updatedAt: 'x' }],
      matchedIds: new Set(['kev:CVE-1']),
      filters: parseAdvisoryFilters({ severity: 'low', q: 'example server' }).filters,
      problems: [],
      sourceIds: ['s1', 's2'],
      nextCursor: 'CUR',
    });
    expect(view.rows).toMatchObject([{ id: 'kev:CVE-1', kev: true, matched: true, href: '/ui/advisories/kev%3ACVE-1' }]);
    expect(view.nextHref).toBe('/ui/advisories?severity=low&q=example+server&cursor=CUR');
    expect(view.form.severities.filter((s) => s.selected).map((s) => s.value)).toEqual(['low']);
  });
});

describe('advisoryDetailView', () => {
  it('lists every source reporting the CVEs with signature and signer, revisions with what changed, matches with acknowledgement', () => {
    const v1 = makeAdvisory({ id: 'csaf:x:1', source: { kind: 'csaf', id: 'vendor-csaf' }, severity: 'moderate', signature: { status: 'verified', signer: 'ABCD1234' } });
    const v2 = { ...v1, revision: 2, severity: 'critical' as const, modified: '2024-07-02T00:00:00.000Z', exploited: { kev: { dateAdded: '2024-07-02', dueDate: '2024-07-23', ransomware: true } } };
    const kev = makeAdvisory({ id: 'kev:CVE-2024-0001', source: { kind: 'kev', id: 'cisa-kev' }, url: 'https://nvd.nist.gov/vuln/detail/CVE-2024-0001', signature: { status: 'not-checked' } });
    const view = advisoryDetailView({
      stored: { advisory: v2, firstSeen: '2024-07-01T13:00:00Z', updatedAt: '2024-07-02T00:00:00Z' },
      revisions: [v1, v2],
      matches: [match('csaf:x:1', 'web', '2024-07-23'), match('csaf:x:1', 'db', '2024-07-23')],
      acknowledgements: [{ advisoryId: 'csaf:x:1', itemCollection: 'prod', itemName: 'db', status: 'applied', note: 'done', acknowledgedAt: '2024-07-03T00:00:00Z' }],
      siblings: [kev, v2],
      today: '2024-07-20',
    });
    expect(view.signature).toBe('verified (signer ABCD1234)');
    expect(view.provenance.map((p) => [p.source, p.current, p.signature])).toEqual([
      ['vendor-csaf', true, 'verified (signer ABCD1234)'],
      ['cisa-kev', false, 'not checked'],
    ]);
    expect(view.revisions.map((r) => [r.revision, r.changes])).toEqual([
      [1, []],
      [2, ['severity raised from moderate to critical', 'added to CISA KEV on 2024-07-02 (due 2024-07-23)']],
    ]);
    expect(view.matches.map((m) => [m.itemName, m.ack, m.dueText])).toEqual([
      ['web', '', 'due in 3 days'],
      ['db', 'Applied: done', 'due in 3 days'],
    ]);
    expect(view.kev).toBe('listed 2024-07-02, due 2024-07-23, used by ransomware');
    expect(view.links).toEqual(['https://vendor.example/advisories/TEST-2024-0001', 'https://vendor.example/downloads/2.4.1', 'https://nvd.nist.gov/vuln/detail/CVE-2024-0001']);
  });

  it('links only http(s) URLs (no javascript: from a document)', () => {
    const adv = makeAdvisory({ url: 'javascript:alert(1)', remediation: { url: 'file:///etc/passwd' } });
    const view = advisoryDetailView({ stored: { advisory: adv, firstSeen: 'x', updatedAt: 'x' }, revisions: [adv], matches: [], acknowledgements: [], siblings: [], today: TODAY });
    expect(view.links).toEqual([]);
    expect(signatureText({ status: 'bad' })).toBe('BAD signature');
  });
});

describe('advanceNoticesView', () => {
  it('puts open notices from today on first by date, past or closed ones after, newest first', () => {
    const n = (id: string, date: string, closedBy?: string[]) => makeAdvisory({ id, kind: 'advance-notice', plannedRelease: { date, maxSeverity: 'important' }, ...(closedBy ? { closedBy } : {}) });
    const view = advanceNoticesView([n('late', '2025-09-30'), n('soon', '2025-09-12'), n('old', '2025-08-01'), n('done', '2025-09-20', ['nodejs:2025-09-20']), makeAdvisory({ id: 'plain' })], TODAY);
    expect(view.upcoming.map((r) => [r.id, r.when])).toEqual([
      ['soon', 'in 2 days'],
      ['late', 'in 20 days'],
    ]);
    expect(view.past.map((r) => [r.id, r.closedBy])).toEqual([
      ['done', 'nodejs:2025-09-20'],
      ['old', ''],
    ]);
    expect(view.upcoming[0]).toMatchObject({ severity: 'Important', severityClass: 'sev-important' });
  });
});

describe('sourcesView', () => {
  it('says when each source polls next, how its documents verified and what is quarantined', () => {
    const now = new Date('2025-09-10T12:00:00Z');
    const view = sourcesView(
      [
        { id: 'csaf', kind: 'csaf', enabled: true, intervalMs: 3_600_000, verify: 'require', state: { sourceId: 'csaf', validators: {}, lastPollAt: '2025-09-10T11:30:00Z', lastError: 'csaf: 503' }, signatures: new Map([['verified', 4], ['expired-key', 1]]) },
        { id: 'late', kind: 'kev', enabled: true, intervalMs: 60_000, state: { sourceId: 'late', validators: {}, lastPollAt: '2025-09-10T10:00:00Z' }, signatures: new Map() },
        { id: 'new', kind: 'kev', enabled: true, intervalMs: 60_000, signatures: new Map() },
        { id: 'off', kind: 'kev', enabled: false, intervalMs: 60_000, signatures: new Map() },
      ],
      [{ sourceId: 'csaf', url: 'https://x/doc.json', sha256: 'ab', status: 'bad', reason: 'verify: require, got bad', checks: {}, quarantinedAt: '2025-09-10T11:30:00Z' }],
      now,
    );
    expect(view.sources.map((s) => [s.id, s.nextPoll, s.outcomes, s.error])).toEqual([
      ['csaf', '2025-09-10 12:30 UTC', '1 expired-key, 4 verified, 1 quarantined', 'csaf: 503'],
      ['late', '2025-09-10 12:00 UTC', 'nothing stored yet', ''],
      ['new', 'at the next cycle', 'nothing stored yet', ''],
      ['off', 'disabled', 'nothing stored yet', ''],
    ]);
    expect(view.sources[0]).toMatchObject({ interval: '1 h', verify: 'require', lastPoll: '2025-09-10 11:30 UTC', lastSuccess: 'never' });
    expect(view.quarantine).toEqual([{ sourceId: 'csaf', url: 'https://x/doc.json', status: 'bad', reason: 'verify: require, got bad', when: '2025-09-10 11:30 UTC', sha256: 'ab' }]);
  });
});

describe('subscription settings form', () => {
  const sub: Subscription = {
    id: 'S0123',
    channel: 'email',
    target: 'a@example.org',
    settings: { minSeverity: 'important', matchedOnly: true, sources: ['kev'], webhookSecret: 'whsec_x' },
    status: 'active',
    createdAt: '2025-01-01T00:00:00Z',
    updatedAt: '2025-01-01T00:00:00Z',
  };
  const form = (o: Record<string, string>) => new Map(Object.entries(o));

  it('shows the current choices', () => {
    const view = subscriptionFormView({ ...sub, settings: { ...sub.settings, delivery: { mode: 'digest', every: 'daily', at: '06:45', timeZone: 'Europe/Paris' } } });
    expect(view.schedules.filter((s) => s.selected).map((s) => s.value)).toEqual(['daily']);
    expect(view.scheduleText).toBe('daily digest at 06:45 Europe/Paris');
    expect(JSON.stringify(view)).not.toContain('whsec_x');
  });

  it('turns a posted form into settings, keeping what the form does not show, and names a bad field', () => {
    expect(settingsFromForm(form({ minSeverity: 'low', matchedOnly: 'yes', schedule: 'hourly' }), sub.settings)).toEqual({
      settings: { minSeverity: 'low', matchedOnly: true, sources: ['kev'], webhookSecret: 'whsec_x', delivery: { mode: 'digest', every: 'hourly' } },
    });
    expect(settingsFromForm(form({ minSeverity: 'low', schedule: 'immediate' }), sub.settings)).toMatchObject({ settings: { matchedOnly: false, delivery: { mode: 'immediate' } } });
    expect(settingsFromForm(form({ minSeverity: 'urgent' }), sub.settings)).toEqual({ problem: 'severity floor "urgent" is not a severity' });
    expect(settingsFromForm(form({ schedule: 'daily', at: '7:00' }), sub.settings)).toEqual({ problem: 'digest time "7:00" is not HH:MM' });
    expect(settingsFromForm(form({ schedule: 'daily', at: '07:00', timeZone: 'Mars/Olympus' }), sub.settings)).toEqual({ problem: 'time zone "Mars/Olympus" is not an IANA time zone' });
    expect(settingsFromForm(form({ schedule: 'weekly' }), sub.settings)).toEqual({ problem: 'delivery "weekly" is not immediate, hourly or daily' });
  });
});
