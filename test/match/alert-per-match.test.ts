import { describe, expect, it } from 'vitest';
import { alertView, renderAlertHtml, renderAlertText } from '../../src/deliver/render.js';
import { buildSlackMessage } from '../../src/deliver/slack/payload.js';
import { buildWebhookPayload } from '../../src/deliver/webhook/payload.js';
import { buildJsonFeed } from '../../src/feed/json-feed.js';
import { buildAliasTable, buildInventoryIndex, matchAdvisory } from '../../src/match/index.js';
import type { InventoryItem } from '../../src/model/inventory.js';
import type { ApplyByPolicy } from '../../src/normalize/apply-by.js';
import { makeAdvisory } from '../helpers/advisory-factory.js';
import { makeAlert } from '../helpers/alert-factory.js';

// From a real match to what people read: alerts and the feed say, per matched item, which item,
// how many instances, where, which collection, why it matched, how sure, and the apply-by.

const policy: ApplyByPolicy = { rules: ['msrc-classic', 'kev', 'bod-26-04'], clockStart: 'release' };
const inventory: InventoryItem[] = [
  { name: 'edge proxy', vendor: 'Example', product: 'Example Server', version: '2.3.0', instances: 4, location: 'dmz/fra1', collection: 'web', exposed: true, owner: 'netops' },
  { name: 'intranet', vendor: 'Example', product: 'Example Server', version: '2.0.0', instances: 2, location: 'dc2', collection: 'internal', testsFirst: true },
  { name: 'patched', vendor: 'Example', product: 'Example Server', version: '2.4.1', instances: 9, collection: 'web' },
];
const advisory = makeAdvisory({
  severity: 'important',
  published: '2025-03-03T00:00:00.000Z',
  exploited: { kev: { dateAdded: '2025-03-03', dueDate: '2025-03-24', ransomware: false } },
  // The factory's product: "Example Server" with ranges "< 2.4.1" and fixed "2.4.1".
});
const matches = matchAdvisory(advisory, buildInventoryIndex(inventory, buildAliasTable({})), policy);

describe('per-match detail in alerts and the feed', () => {
  it('matches by version: the fixed item is not matched, each other item has its own apply-by rule', () => {
    expect(matches.map((m) => [m.item.name, m.applyBy, m.applyByRule.split(':')[0]])).toEqual([
      ['edge proxy', '2025-03-06', 'bod-26-04'], // KEV × internet-facing: 3 days
      ['intranet', '2025-03-17', 'bod-26-04'], // KEV, internal: 14 days
    ]);
  });

  it('the alert text and HTML name item, collection, location, instances, exposure, owner, confidence, reason and apply-by', () => {
    const alert = makeAlert({ advisory, matches, applyBy: '2025-03-06', applyByRule: matches[0]!.applyByRule });
    const text = renderAlertText(alert, new Date('2025-03-04T00:00:00Z'));
    expect(text).toContain('Our affected items (2):');
    expect(text).toMatch(/- edge proxy \[web\] at dmz\/fra1, 4 instance\(s\), version 2\.3\.0, internet-facing, owner netops\n {2}Match: high confidence, product-name: advisory names Example Example Server, inventory lists Example Example Server; 2\.3\.0 is in the affected versions "< 2\.4\.1"/);
    expect(text).toMatch(/- intranet \[internal\] at dc2, 2 instance\(s\), version 2\.0\.0\n/);
    expect(text).toMatch(/Apply by 2025-03-17 .*rule bod-26-04: KEV-listed, not internet-facing: 14 days/);
    const html = renderAlertHtml(alert, new Date('2025-03-04T00:00:00Z'));
    expect(html).toContain('<strong>internet-facing</strong>');
    expect(html).toContain('owner netops');
    expect(alertView(alert).matches.map((m) => [m.name, m.exposed, m.owner])).toEqual([
      ['edge proxy', true, 'netops'],
      ['intranet', false, null],
    ]);
  });

  it('the JSON Feed item carries every match with where, why, confidence and apply-by', () => {
    const feed = buildJsonFeed([{ stored: { advisory, firstSeen: advisory.published, updatedAt: advisory.published }, matches }], { title: 't' }, policy);
    const item = feed.items[0]!;
    expect(item._secwatch.matched).toEqual(['edge proxy', 'intranet']);
    expect(item._secwatch.matches).toEqual([
      expect.objectContaining({ item: 'edge proxy', collection: 'web', location: 'dmz/fra1', instances: 4, exposed: true, confidence: 'high', apply_by: '2025-03-06' }),
      expect.objectContaining({ item: 'intranet', collection: 'internal', location: 'dc2', instances: 2, exposed: false, apply_by: '2025-03-17' }),
    ]);
    expect(item._secwatch.apply_by).toBe('2025-03-06');
    expect(item.content_text).toMatch(/- edge proxy \[web\] at dmz\/fra1, 4 instance\(s\): high confidence, product-name: .*; apply by 2025-03-06 \(bod-26-04: KEV-listed, internet-facing: 3 days\)/);
  });

  it('Slack and webhook payloads carry the same per-match facts', () => {
    const alert = makeAlert({ advisory, matches, applyBy: '2025-03-06', applyByRule: matches[0]!.applyByRule });
    const now = new Date('2025-03-04T00:00:00Z');
    const slack = JSON.stringify(buildSlackMessage(alert, now));
    expect(slack).toContain('*edge proxy* (web, dmz/fra1) ×4, internet-facing, high confidence, apply by 2025-03-06');
    expect(slack).toContain('_product-name: advisory names Example Example Server');
    const hook = buildWebhookPayload(alert, now);
    expect(hook.data.matches.map((m) => [m.item.name, m.item.exposed, m.confidence, m.applyBy])).toEqual([
      ['edge proxy', true, 'high', '2025-03-06'],
      ['intranet', false, 'high', '2025-03-17'],
    ]);
  });
});
