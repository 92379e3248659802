// The stylesheet: nothing fetched from elsewhere, readable contrast, a print layout.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const css = readFileSync(new URL('../../templates/web/secwatch.css', import.meta.url), 'utf8');
const vars = new Map([...css.matchAll(/--([a-z]+):\s*(#[0-9a-f]{6})/gi)].map((m) => [m[1]!, m[2]!]));

/** WCAG 2 relative luminance and contrast ratio. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}
function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

describe('secwatch.css', () => {
  it('loads no font, image or stylesheet from anywhere', () => {
    expect(css).not.toMatch(/@import|@font-face|url\(/i);
  });

  it('keeps text contrast at 4.5:1 or more for every pair it uses', () => {
    const white = '#ffffff';
    const pairs: [string, string, string][] = [
      ['text', vars.get('fg')!, vars.get('bg')!],
      ['muted text', vars.get('muted')!, vars.get('bg')!],
      ['links', vars.get('link')!, vars.get('bg')!],
      ['header', white, vars.get('accent')!],
      ...(['crit', 'imp', 'mod', 'low', 'none'] as const).map((s): [string, string, string] => [`severity ${s}`, white, vars.get(s)!]),
    ];
    for (const [what, fg, bg] of pairs) expect(contrast(fg, bg), what).toBeGreaterThanOrEqual(4.5);
  });

  it('has a print layout that hides navigation and forms', () => {
    const print = /@media print \{([\s\S]*?)\n\}/.exec(css)?.[1] ?? '';
    expect(print).toMatch(/header\.top[^{]*form[^{]*\{\s*display: none/);
  });
});
