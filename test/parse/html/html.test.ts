// html parser on the corpus: the MSRC bulletin page with the shipped example config's selectors,
// the OpenSSL plain-text advisories, and pages whose selectors find nothing.
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../../src/config/load.js';
import { ParseError } from '../../../src/errors.js';
import { normalizeAdvisory } from '../../../src/normalize/index.js';
import { parseHtml, type HtmlPageSpec } from '../../../src/parse/html/index.js';
import { htmlPageSpec } from '../../../src/sources/html/index.js';
import { corpus, corpusDocument, corpusPath } from '../../helpers/corpus.js';

const MSRC = 'html/msrc-bulletin/Bulletin-2017-Jan.html';
const exampleSpec = (file: string): HtmlPageSpec => {
  const source = loadConfigFile(file).sources[0]!;
  return htmlPageSpec(source)!;
};
const doc = (rel: string, sourceId = 'msrc-bulletins') => corpusDocument(rel, { sourceId, sourceKind: 'html' });
const page = (html: string, url = 'https://vendor.example/advisories/1') => ({
  sourceId: 'vendor-pages',
  sourceKind: 'html' as const,
  url,
  body: new TextEncoder().encode(html),
  contentType: 'text/html; charset=utf-8',
  fetchedAt: new Date(0),
});

describe('MSRC bulletin page with config/examples/html-msrc-bulletin.yaml', () => {
  const html = corpus(MSRC).toString('utf8');
  // Independently: the table of contents rows "<a href="#ID">ID</a></td> <td>Title</td>".
  const toc = [...html.matchAll(/<td><a href="#([^"]+)">[^<]+<\/a><\/td>\s*<td>([^<]+)<\/td>/g)].map((m) => ({ id: m[1]!, title: m[2]!.trim() }));

  it('gives one advisory per section, each with the id and title the table of contents lists', async () => {
    const out = await parseHtml(doc(MSRC), { html: exampleSpec('config/examples/html-msrc-bulletin.yaml') });
    expect(toc.length).toBeGreaterThan(1);
    expect(out.map((a) => a.id).sort()).toEqual(toc.map((t) => `msrc:${t.id}`).sort());
    for (const t of toc) expect(out.find((a) => a.id === `msrc:${t.id}`)?.title).toBe(t.title);
  });

  it('reads severity, date, CVEs, products with KBs, and a text-only summary per section', async () => {
    const out = (await parseHtml(doc(MSRC), { html: exampleSpec('config/examples/html-msrc-bulletin.yaml') })).map((a) => normalizeAdvisory(a));
    for (const a of out) {
      const anchor = a.id.slice('msrc:'.length);
      const start = html.indexOf(`<h1 id="${anchor}">`);
      const next = html.indexOf('<h1 id=', start + 1);
      const section = html.slice(start, next < 0 ? undefined : next);
      const severity = /<\/td>\s*<td>(Critical|Important|Moderate|Low)<\/td>\s*<td>[^<]*<\/td>\s*<\/tr>\s*<\/table><h2>Exploitability/.exec(section)![1]!;
      expect(a.severity, anchor).toBe(severity.toLowerCase());
      const [, d, m, y] = /Revision:<\/b><br>[\d.]+(?:&nbsp)+(\d{2})\/(\d{2})\/(\d{4})/.exec(section)!;
      expect(a.published).toBe(`${y}-${m}-${d}T00:00:00.000Z`);
      expect(a.cves).toEqual(anchor.startsWith('CVE-') ? [anchor] : []);
      const table = section.slice(section.indexOf('class="affected_software"'));
      const rows = table.slice(0, table.indexOf('</table>')).match(/<tr>\s*<td>(?!<b>)/g) ?? [];
      expect(a.products.length, anchor).toBe(rows.length);
      expect(a.products.every((p) => p.vendor === 'Microsoft' && /^\d{6,8}$/.test(p.kb ?? ''))).toBe(true);
      expect(a.summary).toBeTruthy();
      expect(a.summary).not.toMatch(/[<>]/);
    }
  });
});

describe('OpenSSL plain-text advisories', () => {
  const files = readdirSync(corpusPath('html/openssl-secadv-txt')).sort();

  it.each(files)('%s: one advisory per CVE section with its own severity and fixed versions', async (name) => {
    const rel = `html/openssl-secadv-txt/${name}`;
    const text = corpus(rel).toString('utf8');
    // Independently: "Title (CVE-…)" underlined with "=", then an optional "Severity: X" line.
    const sections = [...text.matchAll(/^.*\((CVE-\d{4}-\d+)\)\n=+\n\n(?:Severity: (\w+))?/gm)].map((m) => ({ cve: m[1]!, word: m[2] }));
    const out = (await parseHtml(doc(rel, 'openssl'))).map((a) => normalizeAdvisory(a));
    expect(out.map((a) => a.cves)).toEqual(sections.map((s) => [s.cve]));
    const ours: Record<string, string> = { critical: 'critical', high: 'important', moderate: 'moderate', medium: 'moderate', low: 'low' };
    out.forEach((a, i) => {
      const word = sections[i]!.word;
      expect(a.severity, a.id).toBe(word ? ours[word.toLowerCase()] : 'none');
    });
    const upgrades = [...text.matchAll(/OpenSSL [\d.]+ users should upgrade to (\d+\.\d+\.\d+[a-z]*)/g)].map((m) => m[1]!);
    const fixed = new Set(out.flatMap((a) => a.remediation.fixedVersions ?? []));
    for (const v of upgrades) expect(fixed.has(v), v).toBe(true);
  });
});

describe('selectors that find nothing', () => {
  const spec: HtmlPageSpec = { fields: { title: 'h1.advisory-title', date: 'time[datetime]' } };

  it('is a ParseError naming the page and the selector (the pipeline adds the source, once)', async () => {
    const p = page('<html><body><h2>Nothing here</h2></body></html>');
    await expect(parseHtml(p, { html: spec })).rejects.toThrow(ParseError);
    await expect(parseHtml(p, { html: spec })).rejects.toThrow(/^https:\/\/vendor\.example\/advisories\/1: selector "h1\.advisory-title" for title matched nothing$/);
  });

  it('names the section when a section selector matches nothing, and the pattern when only the pattern failed', async () => {
    const p = page('<html><body><h1>Advisory</h1><time datetime="2024-05-01">1 May</time></body></html>');
    await expect(parseHtml(p, { html: { ...spec, section: 'article.advisory' } })).rejects.toThrow('selector "article.advisory" for section matched nothing in the page');
    await expect(parseHtml(p, { html: { fields: { title: 'h1', date: { selector: 'time', pattern: 'Revision (\\d+)' } } } })).rejects.toThrow(/pattern \/Revision \(\\d\+\)\/ found nothing/);
  });

  it('an unparsable selector is a ParseError too, and so is an HTML page without configured fields', async () => {
    const p = page('<h1>x</h1>');
    await expect(parseHtml(p, { html: { fields: { title: 'h1[', date: 'time' } } })).rejects.toThrow(ParseError);
    await expect(parseHtml(p)).rejects.toThrow(/needs selectors/);
  });
});

describe('text fields are text', () => {
  it('decodes entities and drops markup and scripts from every field', async () => {
    const p = page(
      `<html><body><h1>Fix for &lt;script&gt; in <b>Widget</b> &amp; Co<script>alert(1)</script></h1>
       <p class="date">2024-05-01</p><p class="sev"><span>Critical</span></p>
       <div class="summary">An attacker <i>could</i> run <img src=x onerror=alert(1)>code.<style>p{}</style></div>
       <ul class="cves"><li>CVE-2024-0001</li><li>cve-2024-0002</li></ul></body></html>`,
    );
    const [a] = await parseHtml(p, {
      html: { idPrefix: 'vendor', fields: { title: 'h1', date: '.date', severity: '.sev', summary: '.summary', cves: '.cves li', products: '.none' } },
    });
    expect(a!.title).toBe('Fix for <script> in Widget & Co');
    expect(a!.summary).toBe('An attacker could run code.');
    expect(a!.vendorSeverity).toBe('Critical');
    expect(a!.cves).toEqual(['CVE-2024-0001', 'CVE-2024-0002']);
    expect(a!.published).toBe('2024-05-01T00:00:00.000Z');
    // No id selector and two CVEs: the page's URL names the advisory.
    expect(a!.id).toBe('vendor:https://vendor.example/advisories/1');
  });
});
