import { describe, expect, it } from 'vitest';
import { alertSubject, alertView, daysOverdue, renderAlertHtml, renderAlertText } from '../../src/deliver/render.js';
import { makeAdvisory, makeAlert, makeMatch } from '../helpers/alert-factory.js';

describe('alertSubject', () => {
  it('puts severity, our item, the title and the apply-by date on one line', () => {
    expect(alertSubject(makeAlert())).toBe(
      '[CRITICAL] Exchange 2019: Microsoft Exchange Server Hybrid Deployment Privilege Escalation — apply by 2025-08-11',
    );
  });

  it('says "no deadline" and drops the item when there is no date and no match', () => {
    const alert = makeAlert({ matches: [], applyBy: null, applyByRule: 'msrc-classic:low', advisory: makeAdvisory({ severity: 'low', title: 'Minor fix' }) });
    expect(alertSubject(alert)).toBe('[LOW] Minor fix — no deadline');
  });

  it('strips CR/LF (no header injection) and keeps the date when the title is long', () => {
    const title = `Evil\r\nBcc: victim@example.com\n${'x'.repeat(400)}`;
    const subject = alertSubject(makeAlert({ advisory: makeAdvisory({ title }) }));
    expect(subject).not.toMatch(/[\r\n]/);
    expect(subject).toContain('Evil Bcc: victim@example.com x');
    expect([...subject].length).toBeLessThanOrEqual(200);
    expect(subject.endsWith('… — apply by 2025-08-11')).toBe(true);
  });
});

describe('renderAlertText', () => {
  it('gives the 2 a.m. essentials', () => {
    const text = renderAlertText(makeAlert());
    expect(text).toContain('CRITICAL: Microsoft Exchange Server Hybrid Deployment Privilege Escalation');
    expect(text).toContain('New advisory');
    expect(text).toContain('APPLY BY 2025-08-11 (Monday)\nRule: kev:dueDate');
    expect(text).toContain('Why CRITICAL: raised because it is known to be exploited (CISA KEV)');
    expect(text).toContain('CVEs: CVE-2025-53786');
    expect(text).toContain('Listed in CISA KEV since 2025-08-07; CISA due date 2025-08-11');
    expect(text).toContain('Known to be used in ransomware campaigns');
    expect(text).toContain('- Exchange 2019 [mail] at dc1/mail, 3 instance(s), version 15.2.1544.14');
    expect(text).toContain('Match: high confidence, CPE cpe:2.3:a:microsoft:exchange_server:2019');
    expect(text).toContain('- Action: Apply the April 2025 hotfix');
    expect(text).toContain('- Updates (KB): KB5050009');
    expect(text).toContain('- Fixed in: 15.2.1544.25');
    expect(text).toContain('Link: https://msrc.microsoft.com/update-guide/vulnerability/CVE-2025-53786');
  });

  it('words a null apply-by and says what changed on a revision', () => {
    const alert = makeAlert({
      change: 'revised',
      applyBy: null,
      applyByRule: 'msrc-classic:moderate',
      matches: [makeMatch({ applyBy: null, applyByRule: 'msrc-classic:moderate' })],
      advisory: makeAdvisory({ revision: 3, severity: 'moderate', severitySource: 'cvss', exploited: {}, remediation: {} }),
    });
    const text = renderAlertText(alert);
    expect(text).toContain('APPLY BY no deadline: next scheduled maintenance');
    expect(text).toContain('Revised advisory (revision 3)');
    expect(text).toContain('Why MODERATE: from the CVSS v3.1 base score 8.0');
    expect(text).toContain('- no exploitation reported');
    expect(text).toContain('The advisory names no fix yet');
  });

  it('does not HTML-escape plain text', () => {
    expect(renderAlertText(makeAlert({ advisory: makeAdvisory({ title: 'A & B <c>' }) }))).toContain('A & B <c>');
  });
});

describe('renderAlertHtml', () => {
  it('escapes advisory and inventory data', () => {
    const alert = makeAlert({
      advisory: makeAdvisory({ title: '<script>alert(1)</script>', summary: '<img src=x onerror=alert(1)>' }),
      matches: [makeMatch({ item: { name: '"><b>host</b>', instances: 1, collection: 'c' } })],
    });
    const html = renderAlertHtml(alert);
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>host');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('links only http(s) URLs', () => {
    const html = renderAlertHtml(makeAlert({ advisory: makeAdvisory({ url: 'javascript:alert(1)', remediation: { url: 'data:text/html,x' } }) }));
    expect(html).not.toMatch(/javascript:|data:text/);
    expect(alertView(makeAlert()).url).toBe('https://msrc.microsoft.com/update-guide/vulnerability/CVE-2025-53786');
  });

  it('shows the apply-by date and rule, no images, inline styles only', () => {
    const html = renderAlertHtml(makeAlert());
    expect(html).toContain('APPLY BY 2025-08-11 (Monday)');
    expect(html).toContain('Rule: kev:dueDate');
    expect(html).not.toMatch(/<img|<style|<link/i);
    expect(renderAlertHtml(makeAlert({ applyBy: null }))).toContain('APPLY BY no deadline: next scheduled maintenance');
  });
});

describe('overdue apply-by dates', () => {
  it('says how many days late an alert is when it goes out after the date', () => {
    expect(daysOverdue('2025-09-15', new Date('2025-09-15T23:59:59Z'))).toBe(0);
    expect(daysOverdue('2025-09-15', new Date('2025-09-16T00:00:00Z'))).toBe(1);
    expect(daysOverdue('2025-09-15', new Date('2025-09-25T08:00:00Z'))).toBe(10);
    const alert = makeAlert({ applyBy: '2025-09-15', matches: [] });
    expect(renderAlertText(alert, new Date('2025-09-25T08:00:00Z'))).toMatch(/2025-09-15 \(Monday\) — OVERDUE by 10 days/);
    expect(renderAlertText(alert, new Date('2025-09-01T08:00:00Z'))).not.toMatch(/OVERDUE/);
    expect(alertSubject(alert, new Date('2025-09-25T08:00:00Z'))).toMatch(/apply by 2025-09-15 \(OVERDUE\)$/);
  });
});
