import { describe, expect, it } from 'vitest';
import type { Alert } from '../../src/deliver/channel.js';
import { splitSlackDigest, splitTeamsDigest } from '../../src/deliver/digest-split.js';
import type { AdaptiveCardMessage, MessageCard } from '../../src/deliver/teams/cards.js';
import { makeAdvisory, makeAlert, makeMatch } from '../helpers/alert-factory.js';
import { adaptiveCardProblems, messageCardProblems } from '../helpers/teams-card-check.js';

const now = new Date('2025-08-12T09:00:00Z');

/** 120 distinct alerts; some with long titles and many matched items, one with Markdown in its title. */
function digestAlerts(n = 120): Alert[] {
  return Array.from({ length: n }, (_, i) => {
    const id = `ADV-2025-${String(i).padStart(4, '0')}`;
    const title = i % 7 === 0 ? `${'Very long advisory title '.repeat(40)}#${i}` : i === 3 ? 'Use *bold* and <tags> & [links](x)' : `Flaw number ${i}`;
    const matches = Array.from({ length: (i % 5) * 3 }, (_, j) => makeMatch({ advisoryId: id, item: { ...makeMatch().item, name: `host-${i}-${j}` } }));
    return makeAlert({ id: `sub.${id}`, advisory: makeAdvisory({ id, title, url: `https://vendor.example/a/${id}` }), matches });
  });
}

/** How many times each advisory is listed ("(ADV-…)" after its title; its URL holds the id too) across all texts. */
function counts(texts: readonly string[], alerts: readonly Alert[]): number[] {
  const all = texts.join('\n');
  return alerts.map((a) => all.split(`(${a.advisory.id})`).length - 1);
}

describe('splitting a digest for chat', () => {
  const alerts = digestAlerts();

  it('Slack: 120 alerts in messages of at most 50 blocks, sections ≤ 3,000 chars, header ≤ 150, each alert once', () => {
    const msgs = splitSlackDigest(alerts, now, { title: 'secwatch daily digest' });
    expect(msgs.length).toBe(Math.ceil(alerts.length / 49));
    const sections: string[] = [];
    msgs.forEach((m, i) => {
      expect(m.text.length).toBeGreaterThan(0);
      expect(m.blocks.length).toBeLessThanOrEqual(50);
      const header = m.blocks[0];
      expect(header?.type).toBe('header');
      if (header?.type === 'header') {
        expect(header.text.text.length).toBeLessThanOrEqual(150);
        expect(header.text.text).toContain(`part ${i + 1}/${msgs.length}`);
      }
      for (const b of m.blocks.slice(1)) {
        expect(b.type).toBe('section');
        if (b.type === 'section') {
          expect(b.text.text.length).toBeLessThanOrEqual(3000);
          sections.push(b.text.text);
        }
      }
    });
    // Every alert exactly once, in order.
    expect(sections).toHaveLength(alerts.length);
    expect(counts(sections, alerts)).toEqual(alerts.map(() => 1));
    sections.forEach((s, i) => expect(s).toContain(alerts[i]!.advisory.id));
    // Slack control characters in titles are escaped.
    expect(sections[3]).toContain('&lt;tags&gt; &amp;');
  });

  it('Teams: 120 alerts in cards under 28 KB, each alert once, in both formats', () => {
    for (const format of ['adaptive', 'messagecard'] as const) {
      // A smaller budget forces several parts with the same 120 items.
      for (const maxBytes of [28_000, 8_000]) {
        const msgs = splitTeamsDigest(alerts, now, format, { maxBytes });
        const texts: string[] = [];
        for (const m of msgs) {
          expect(Buffer.byteLength(JSON.stringify(m))).toBeLessThanOrEqual(maxBytes);
          expect(format === 'adaptive' ? adaptiveCardProblems(m) : messageCardProblems(m)).toEqual([]);
          if (format === 'adaptive') {
            const card = (m as AdaptiveCardMessage).attachments[0].content;
            expect(card.version).toBe('1.4');
            texts.push(...card.body.slice(1).map((el) => String(el.text)));
          } else {
            texts.push(...(m as MessageCard).sections.map((s) => String(s.text)));
          }
        }
        if (maxBytes === 8_000) expect(msgs.length).toBeGreaterThan(2);
        expect(texts).toHaveLength(alerts.length);
        expect(counts(texts, alerts)).toEqual(alerts.map(() => 1));
      }
    }
  });
});
