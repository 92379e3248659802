// Digest splitting with acknowledgement links: every matched item's two links appear exactly once,
// whole (the token still verifies), and the messages stay within Slack's and Teams' limits even
// when an alert has more links than one section, card unit or message can hold.
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../src/deliver/channel.js';
import { splitSlackDigest, splitTeamsDigest } from '../../src/deliver/digest-split.js';
import type { AdaptiveCardMessage, MessageCard } from '../../src/deliver/teams/cards.js';
import { verifyAckToken, withAckLinks } from '../../src/remind/ack-link.js';
import { makeAdvisory, makeAlert, makeMatch } from '../helpers/alert-factory.js';
import { adaptiveCardProblems, messageCardProblems } from '../helpers/teams-card-check.js';

const now = new Date('2025-08-12T09:00:00Z');
const SECRET = 'digest-split-ack-secret-0123456789abcdef';
const settings = { baseUrl: 'https://secwatch.example.org/some/longer/base/path', secret: SECRET, now };

/**
 * 60 alerts with 0 to 9 matched items, and one with 300 (more links than a Slack message holds);
 * item names long and with markup characters, so lines are long and need escaping.
 */
function digestAlerts(): Alert[] {
  const sizes = [...Array.from({ length: 60 }, (_, i) => i % 10), 300];
  return sizes.map((n, i) => {
    const id = `ADV-2025-${String(i).padStart(4, '0')}`;
    const matches = Array.from({ length: n }, (_, j) =>
      makeMatch({ advisoryId: id, item: { ...makeMatch().item, name: `host <${i}> & [${j}] ${'x'.repeat(j % 3 === 0 ? 180 : 10)}`, collection: `c${j % 4}` } }),
    );
    return withAckLinks(makeAlert({ id: `sub.${id}`, subscriptionId: 'sub', advisory: makeAdvisory({ id, title: `Flaw number ${i}` }), matches }), settings);
  });
}

const LINK = /https:\/\/secwatch\.example\.org\/some\/longer\/base\/path\/ack\?t=(v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)/g;

/** Every link in the texts, checked to verify (so none was cut), as "advisory item status". */
function claimsIn(texts: readonly string[]): string[] {
  return [...texts.join('\n').matchAll(LINK)].map((m) => {
    const check = verifyAckToken(m[1]!, SECRET, now);
    if (check.outcome !== 'valid') throw new Error(`link does not verify: ${m[0]}`);
    return `${check.claim.advisoryId} ${check.claim.itemCollection}/${check.claim.itemName} ${check.claim.status}`;
  });
}

function expectedClaims(alerts: readonly Alert[]): string[] {
  return alerts.flatMap((a) => a.matches.flatMap((m) => ['applied', 'not-applicable'].map((s) => `${a.advisory.id} ${m.item.collection}/${m.item.name} ${s}`)));
}

describe('digest splitting with acknowledgement links', () => {
  const alerts = digestAlerts();
  const expected = expectedClaims(alerts);

  it('has a link pair per matched item to lay out', () => {
    expect(expected).toHaveLength(2 * (6 * 45 + 300));
  });

  it('Slack: every link once and whole, ≤ 50 blocks a message, sections ≤ 3,000 chars, each alert once', () => {
    const msgs = splitSlackDigest(alerts, now, { title: 'secwatch daily digest' });
    const sections: string[] = [];
    for (const [i, m] of msgs.entries()) {
      expect(m.blocks.length).toBeLessThanOrEqual(50);
      const header = m.blocks[0];
      if (header?.type !== 'header') throw new Error('first block is not a header');
      expect(header.text.text).toContain(`part ${i + 1}/${msgs.length}`);
      for (const b of m.blocks.slice(1)) {
        if (b.type !== 'section') throw new Error(`unexpected block ${b.type}`);
        expect(b.text.text.length).toBeLessThanOrEqual(3000);
        sections.push(b.text.text);
      }
    }
    // The 300-item alert needs more sections than one message has room for.
    expect(msgs.length).toBeGreaterThan(2);
    expect(claimsIn(sections)).toEqual(expected);
    for (const a of alerts) expect(sections.join('\n').split(`(${a.advisory.id})`)).toHaveLength(2);
    expect(sections.join('\n')).toContain('• host &lt;1&gt; &amp; [0] ');
  });

  it('Teams: every link once and whole, cards under the byte budget, valid in both formats', () => {
    for (const format of ['adaptive', 'messagecard'] as const) {
      for (const maxBytes of [28_000, 8_000]) {
        const msgs = splitTeamsDigest(alerts, now, format, { maxBytes });
        const texts: string[] = [];
        for (const m of msgs) {
          expect(Buffer.byteLength(JSON.stringify(m))).toBeLessThanOrEqual(maxBytes);
          expect(format === 'adaptive' ? adaptiveCardProblems(m) : messageCardProblems(m)).toEqual([]);
          if (format === 'adaptive') texts.push(...(m as AdaptiveCardMessage).attachments[0].content.body.slice(1).map((el) => String(el.text)));
          else texts.push(...(m as MessageCard).sections.map((s) => String(s.text)));
        }
        expect(claimsIn(texts)).toEqual(expected);
        for (const a of alerts) expect(texts.join('\n').split(`(${a.advisory.id})`)).toHaveLength(2);
      }
    }
  });

  it('lays out the same entries as before when the alerts carry no links', () => {
    const plain = alerts.map(({ ackLinks: _drop, ...a }) => a);
    const msgs = splitSlackDigest(plain, now);
    expect(msgs.flatMap((m) => m.blocks.slice(1))).toHaveLength(plain.length);
    expect(claimsIn(msgs.map((m) => JSON.stringify(m)))).toEqual([]);
  });
});
