// A screenshot-free check that the HTML alert renders: parse it as a mail client would (cheerio),
// take only the visible text, and look for what a reader must see.
import { load } from 'cheerio';
import { describe, expect, it } from 'vitest';
import { renderAlertHtml } from '../../src/deliver/render.js';
import { makeAdvisory, makeAlert, makeMatch } from '../helpers/alert-factory.js';

/** The text a reader sees: no head, scripts or styles; whitespace collapsed. */
function visibleText(html: string): string {
  const $ = load(html);
  $('head, script, style, template, [hidden]').remove();
  $('[style*="display:none"], [style*="display: none"]').remove();
  return $('body').text().replace(/\s+/g, ' ').trim();
}

describe('HTML alert email, visible text', () => {
  const matches = [
    makeMatch({ item: { ...makeMatch().item, name: 'Exchange 2019 <edge>', location: 'dc1/mail' } }),
    makeMatch({ item: { ...makeMatch().item, name: 'Exchange 2016 & co', location: 'dc2/mail' }, applyBy: '2025-08-20' }),
  ];
  const alert = makeAlert({ matches, applyBy: '2025-08-11', advisory: makeAdvisory({ severity: 'important', severitySource: 'vendor' }) });
  const now = new Date('2025-08-08T09:00:00Z');
  const html = renderAlertHtml(alert, now);
  const text = visibleText(html);

  it('shows severity, apply-by, every matched item and the advisory link', () => {
    expect(text).toContain(alert.advisory.severity.toUpperCase());
    expect(text).toContain(`APPLY BY ${alert.applyBy!}`);
    for (const m of alert.matches) {
      expect(text).toContain(m.item.name);
      expect(text).toContain(m.applyBy!);
    }
    expect(text).toContain(alert.advisory.title);
    expect(text).toContain(alert.advisory.url!);
    const $ = load(html);
    const links = $('a[href]')
      .toArray()
      .map((a) => ({ href: $(a).attr('href'), text: $(a).text().trim() }));
    const advisoryLink = links.find((l) => l.href === alert.advisory.url);
    expect(advisoryLink?.text).toMatch(/\S/);
  });

  it('is readable without images and says OVERDUE once the date has passed', () => {
    expect(load(html)('img')).toHaveLength(0);
    expect(text).not.toMatch(/OVERDUE/);
    expect(visibleText(renderAlertHtml(alert, new Date('2025-08-13T09:00:00Z')))).toMatch(/APPLY BY 2025-08-11 \(Monday\) — OVERDUE by 2 days/);
  });

  it('says what changed on a revision', () => {
    const revised = makeAlert({ change: 'revised', advisory: makeAdvisory({ revision: 2 }), changes: [{ kind: 'kev-added', dateAdded: '2025-08-07', dueDate: '2025-08-11' }] });
    expect(visibleText(renderAlertHtml(revised, now))).toContain('added to CISA KEV on 2025-08-07 (due 2025-08-11)');
  });
});
