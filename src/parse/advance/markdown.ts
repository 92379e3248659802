// Just enough Markdown for release posts: YAML front matter (https://jekyllrb.com/docs/front-matter/)
// and ATX headings (CommonMark §4.2) outside fenced code blocks (§4.5).
import { parse as parseYaml } from 'yaml';

/** A heading and the text under it, up to the next heading of any level. */
export interface MarkdownSection {
  readonly level: number;
  readonly heading: string;
  readonly body: string;
}

export interface MarkdownDocument {
  readonly frontMatter: Readonly<Record<string, unknown>>;
  /** Text before the first heading comes as a section of level 0 with an empty heading. */
  readonly sections: readonly MarkdownSection[];
}

/** Splits front matter and headings; throws only what yaml throws for malformed front matter. */
export function readMarkdown(text: string): MarkdownDocument {
  const src = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  let frontMatter: Record<string, unknown> = {};
  let rest = src;
  const fm = /^---\n([\s\S]*?)\n---[ \t]*(?:\n|$)/.exec(src);
  if (fm) {
    const value: unknown = parseYaml(fm[1]!, { schema: 'core' });
    if (value && typeof value === 'object' && !Array.isArray(value)) frontMatter = value as Record<string, unknown>;
    rest = src.slice(fm[0].length);
  }
  const sections: MarkdownSection[] = [];
  let current = { level: 0, heading: '', lines: [] as string[] };
  let fence: string | undefined;
  for (const line of rest.split('\n')) {
    const f = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (f) fence = fence === undefined ? f[1]![0] : line.trimStart().startsWith(fence) ? undefined : fence;
    const h = fence === undefined ? /^ {0,3}(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*$/.exec(line) : null;
    if (h) {
      sections.push({ level: current.level, heading: current.heading, body: current.lines.join('\n').trim() });
      current = { level: h[1]!.length, heading: h[2]!, lines: [] };
    } else {
      current.lines.push(line);
    }
  }
  sections.push({ level: current.level, heading: current.heading, body: current.lines.join('\n').trim() });
  return { frontMatter, sections: sections.filter((s) => s.level > 0 || s.body !== '') };
}

/** The first paragraph of Markdown text, on one line, links reduced to their words. */
export function firstParagraph(body: string): string {
  const para = body.split(/\n\s*\n/).find((p) => p.trim() !== '' && !/^\s*(?:[-*]|```)/.test(p)) ?? '';
  return para
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}
