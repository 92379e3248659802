import type { InventoryItem } from '../model/inventory.js';
import type { Matcher, MatchHit } from './matcher.js';

// Operator keyword rules (config `matching.keywords`), for products that have no advisories with
// product data yet: a rule's pattern found in an advisory's title or summary hits the items the
// rule names (one item, or a whole collection) at low confidence; the reason names the rule.

/** A rule as the config states it: a case-insensitive regular expression and what it concerns. */
export interface KeywordRule {
  readonly pattern: string;
  /** An inventory item name; with `collection` too, that item in that collection. */
  readonly item?: string | undefined;
  /** A collection: every item in it. */
  readonly collection?: string | undefined;
}

/** A rule with its pattern compiled and its items found, once per inventory. */
export interface CompiledKeywordRule {
  readonly index: number;
  readonly rule: KeywordRule;
  readonly regex: RegExp;
  readonly items: readonly InventoryItem[];
}

/** Compiles the rules against the inventory; a pattern that does not compile is reported by the config schema first. */
export function compileKeywordRules(rules: readonly KeywordRule[], items: readonly InventoryItem[]): CompiledKeywordRule[] {
  return rules.map((rule, index) => ({
    index,
    rule,
    regex: new RegExp(rule.pattern, 'i'),
    items: items.filter(
      (it) => (rule.item === undefined || it.name === rule.item) && (rule.collection === undefined || it.collection === rule.collection),
    ),
  }));
}

/** An excerpt around the hit, so the reason shows the words that matched. */
function excerpt(text: string, at: number, length: number): string {
  const from = Math.max(0, at - 30);
  const to = Math.min(text.length, at + length + 30);
  return `${from > 0 ? '…' : ''}${text.slice(from, to).replace(/\s+/g, ' ')}${to < text.length ? '…' : ''}`;
}

/** The weakest matcher: words, not product data. */
export const keywordMatcher: Matcher = {
  name: 'keyword',
  match(advisory, index) {
    const hits: MatchHit[] = [];
    for (const rule of index.keywords) {
      if (rule.items.length === 0) continue;
      let where: string | undefined;
      for (const [field, text] of [
        ['title', advisory.title],
        ['summary', advisory.summary ?? ''],
      ] as const) {
        const m = rule.regex.exec(text);
        if (m) {
          where = `${field} "${excerpt(text, m.index, m[0].length)}"`;
          break;
        }
      }
      if (!where) continue;
      const target = rule.rule.item ?? `collection ${rule.rule.collection}`;
      for (const item of rule.items) {
        hits.push({
          item,
          matcher: 'keyword',
          reason: `keyword rule #${rule.index + 1} /${rule.rule.pattern}/ (for ${target}) found in the ${where}; no product data compared`,
          confidence: 'low',
        });
      }
    }
    return hits;
  },
};
