import { describe, expect, it } from 'vitest';
import { ParseError } from '../../../src/errors.js';
import { advisoryLinks } from '../../../src/parse/html/index.js';

const page = (html: string) => new TextEncoder().encode(html);

describe('advisory links of a list page', () => {
  it('absolute, de-duplicated, in page order, same origin only', () => {
    const html = `<ul class="a">
      <li><a href="/sa/2.html">2</a></li><li><a href="sa/1.html#top">1</a></li><li><a href="/sa/2.html">again</a></li>
      <li><a href="http://169.254.169.254/latest/meta-data/">metadata</a></li><li><a href="https://other.example/sa/3.html">3</a></li>
      <li><a href="javascript:alert(1)">x</a></li><li><span>no link</span></li></ul>`;
    expect(advisoryLinks(page(html), 'https://vendor.example/security/index.html', 'ul.a a')).toEqual([
      'https://vendor.example/sa/2.html',
      'https://vendor.example/security/sa/1.html#top',
    ]);
  });

  it('a selector that finds no link is a ParseError naming the page and selector (once: the pipeline adds the source)', () => {
    const call = () => advisoryLinks(page('<p>none</p>'), 'https://vendor.example/', 'a.advisory');
    expect(call).toThrow(ParseError);
    expect(call).toThrow(/^https:\/\/vendor\.example\/: links selector "a\.advisory" matched no link$/);
  });
});
