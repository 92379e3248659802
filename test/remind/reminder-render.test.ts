// Every channel says a reminder is one: email subject and body, Slack and Teams headings, the
// webhook event type; alerts and reminders carry their acknowledgement links in email, Slack, Teams.
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../src/deliver/channel.js';
import { alertSubject, renderAlertHtml, renderAlertText } from '../../src/deliver/render.js';
import { buildSlackMessage, SLACK_MAX_HEADER_TEXT } from '../../src/deliver/slack/payload.js';
import { buildTeamsMessages } from '../../src/deliver/teams/alert-card.js';
import type { AdaptiveCardMessage } from '../../src/deliver/teams/cards.js';
import { buildWebhookPayload } from '../../src/deliver/webhook/payload.js';
import { planReminders, withAckLinks } from '../../src/remind/index.js';
import { makeAdvisory, makeAlert, makeMatch } from '../helpers/alert-factory.js';
import { adaptiveCardProblems } from '../helpers/teams-card-check.js';

const now = new Date('2026-11-28T08:00:00Z');
const advisory = makeAdvisory({ id: 'kev:CVE-2026-4001', title: 'Exchange hybrid privilege escalation', severity: 'critical' });
const match = makeMatch({ advisoryId: advisory.id, applyBy: '2026-12-01' });
const alertedAt = { key: `ops:${advisory.id}:1`, subscriptionId: 'ops', advisoryId: advisory.id, createdAt: '2026-11-20T10:00:00.000Z', isReminder: false };

/** A reminder as the planner makes it, on the given day. */
function reminderOn(at: string): Alert {
  const [r] = planReminders({ now: new Date(at), targets: [{ id: 'ops' }], candidates: [{ advisory, matches: [match] }], deliveries: [alertedAt], acknowledgements: [] });
  if (!r) throw new Error(`no reminder planned on ${at}`);
  return withAckLinks(r, { baseUrl: 'https://sw.example.org', secret: 'render-test-secret-0123456789abcdef', now });
}

describe('reminder wording per channel', () => {
  const before = reminderOn('2026-11-28T08:00:00Z');

  it('email: subject and both bodies say reminder, date and days left', () => {
    expect(alertSubject(before, now)).toBe('Reminder: [CRITICAL] Exchange 2019: Exchange hybrid privilege escalation — apply by 2026-12-01, 3 days left');
    expect(alertSubject(reminderOn('2026-12-01T08:00:00Z'))).toMatch(/— apply by 2026-12-01, due today$/);
    expect(alertSubject(reminderOn('2026-12-02T08:00:00Z'))).toMatch(/^Reminder: \[CRITICAL\] .* — OVERDUE: apply-by date 2026-12-01 passed$/);
    const text = renderAlertText(before, now);
    expect(text.split('\n').slice(0, 2)).toEqual(['CRITICAL: Exchange hybrid privilege escalation', 'Reminder: apply by 2026-12-01 — 3 days left']);
    const html = renderAlertHtml(before, now);
    expect(html).toContain('Reminder: apply by 2026-12-01 — 3 days left');
    expect(html.replace(/&#x3D;/g, '=')).toContain(`href="${before.ackLinks![0]!.applied}"`);
  });

  it('webhook: type reminder.due with data.reminder; a plain alert keeps its type and has no reminder field', () => {
    const hook = buildWebhookPayload(before, now);
    expect(hook.type).toBe('reminder.due');
    expect(hook.data.reminder).toEqual({ kind: 'before', date: '2026-12-01', daysLeft: 3, text: 'Reminder: apply by 2026-12-01 — 3 days left' });
    const plain = buildWebhookPayload(makeAlert(), now);
    expect(plain.type).toBe('advisory.created');
    expect('reminder' in plain.data).toBe(false);
  });

  it('Slack: the header says Reminder, the section the reminder, each item its two links', () => {
    const msg = buildSlackMessage(before, now);
    const header = msg.blocks[0];
    expect(header?.type === 'header' ? header.text.text : '').toBe('Reminder: CRITICAL: Exchange hybrid privilege escalation');
    expect(msg.text.startsWith('Reminder: [CRITICAL]')).toBe(true);
    const json = JSON.stringify(msg);
    expect(json).toContain('Reminder: apply by 2026-12-01 — 3 days left');
    expect(json).toContain(`<${before.ackLinks![0]!.applied}|Mark applied>`);
    expect(json).toContain(`<${before.ackLinks![0]!.notApplicable}|Not applicable>`);
    expect(header?.type === 'header' ? header.text.text.length : 0).toBeLessThanOrEqual(SLACK_MAX_HEADER_TEXT);
  });

  it('Teams: a valid Adaptive Card whose title and Change fact say reminder, with the links', () => {
    const [message, ...more] = buildTeamsMessages(before, now) as AdaptiveCardMessage[];
    expect(more).toEqual([]);
    expect(adaptiveCardProblems(message)).toEqual([]);
    const json = JSON.stringify(message);
    expect(json).toContain('Reminder: CRITICAL: Exchange hybrid privilege escalation');
    expect(json).toContain('Reminder: apply by 2026-12-01 — 3 days left');
    expect(json).toContain('[Mark applied](https://sw.example.org/ack?t=v1.');
    expect(json).toContain('[Not applicable](https://sw.example.org/ack?t=v1.');
  });

  it('an alert without links (no public URL or secret) renders as before', () => {
    const plain = makeAlert();
    expect(renderAlertText(plain, now)).not.toContain('Mark applied');
    expect(JSON.stringify(buildSlackMessage(plain, now))).not.toContain('Mark applied');
    expect(alertSubject(plain, now)).not.toMatch(/Reminder/);
  });
});

describe('planned-day reminder wording', () => {
  it('"expected today" in the subject and the body of an advance notice reminder', () => {
    const notice = makeAdvisory({
      id: 'advance:openssl-2026-12',
      kind: 'advance-notice',
      title: 'Forthcoming OpenSSL releases',
      severity: 'important',
      plannedRelease: { date: '2026-12-02', maxSeverity: 'important' },
      products: [{ vendor: 'OpenSSL', product: 'OpenSSL 3.5', severity: 'important' }],
      exploited: {},
    });
    const [r] = planReminders({
      now: new Date('2026-12-02T07:00:00Z'),
      targets: [{ id: 'ops' }],
      candidates: [{ advisory: notice, matches: [] }],
      deliveries: [{ key: `ops:${notice.id}:1`, subscriptionId: 'ops', advisoryId: notice.id, createdAt: '2026-11-25T10:00:00.000Z', isReminder: false }],
      acknowledgements: [],
    });
    expect(r).toBeDefined();
    expect(alertSubject(r!)).toBe('Reminder: [IMPORTANT] Forthcoming OpenSSL releases — expected today: IMPORTANT fix for OpenSSL 3.5');
    expect(renderAlertText(r!)).toContain('Reminder: expected today: IMPORTANT fix for OpenSSL 3.5');
    expect(buildWebhookPayload(r!, now).type).toBe('reminder.due');
  });
});
