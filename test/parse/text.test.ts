import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ParseError } from '../../src/errors.js';
import { normalizeAdvisory } from '../../src/normalize/normalize.js';
import { parseAdvisoryText, parseDebianAdvisory, parseGenericAdvisory, parseOpensslAdvisory, severityWord } from '../../src/parse/text/index.js';
import { corpus, corpusPath } from '../helpers/corpus.js';

// The advisory text parsers (src/parse/text/) on the OpenSSL and Debian texts of the corpus;
// expectations read from the text here with plain regular expressions.

const META = { source: { kind: 'mbox' as const, id: 't' }, url: 'test:text', date: '2024-04-08T13:59:33.000Z' };
const OUR_WORD: Record<string, string> = { critical: 'critical', high: 'important', moderate: 'moderate', medium: 'moderate', low: 'low' };

/** Per "Severity:" line, the CVE named by the closest heading above it. */
function statedIssues(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of text.matchAll(/^Severity:\s*(\w+)/gm)) {
    const before = text.slice(0, m.index).split('\n').reverse();
    const heading = before.find((l) => /\(CVE-\d{4}-\d+/.test(l))!;
    out.set(/CVE-\d{4}-\d+/.exec(heading)![0], m[1]!.toLowerCase());
  }
  return out;
}

describe('OpenSSL security advisories', () => {
  const dir = corpusPath('html/openssl-secadv-txt');
  const texts = readdirSync(dir).filter((f) => f.endsWith('.txt')).map((f) => [f, corpus(`html/openssl-secadv-txt/${f}`).toString('utf8')] as const);
  const mail = corpus('mail/oss-security/2024-04-08-openssl-security-advisory.eml').toString('utf8');

  it.each([...texts, ['mail', mail] as const])('%s: one advisory per rated issue, with its CVE and our rating of its severity word', (_name, text) => {
    const stated = statedIssues(text);
    const advisories = parseOpensslAdvisory(text, META).map((a) => normalizeAdvisory(a));
    for (const [cve, word] of stated) {
      const a = advisories.find((x) => x.cves.includes(cve));
      expect(a, cve).toBeDefined();
      expect([cve, a!.severity, a!.severitySource]).toEqual([cve, OUR_WORD[word], 'vendor']);
    }
    const headed = new Set([...text.matchAll(/^[^\n=]*\((CVE-\d{4}-\d+)[^\n]*\n=+\s*$/gm)].map((m) => m[1]!));
    expect(new Set(advisories.map((a) => a.id.replace('openssl:', '')))).toEqual(headed);
  });

  it('the mailed 2024-04-08 advisory: vulnerable lines and the fixed version each should upgrade to', () => {
    const [a] = parseOpensslAdvisory(mail, META);
    const fixes = [...mail.replace(/\s+/g, ' ').matchAll(/OpenSSL (\d+\.\d+(?:\.\d+)?) users should upgrade to OpenSSL (\S+?) /g)].map((m) => [m[1], m[2]]);
    expect(fixes.length).toBeGreaterThan(0);
    for (const [, fixed] of fixes) expect(a!.products).toContainEqual(expect.objectContaining({ vendor: 'OpenSSL', fixed: [fixed], ranges: [expect.stringContaining(`<${fixed!}`)] }));
    expect(a!.published).toBe('2024-04-08T00:00:00.000Z');
    expect(a!.url).toBe(/^https:\/\/\S+secadv\/\S+\.txt$/m.exec(mail)![0]);
  });

  it('the 2014 Heartbleed advisory (no Severity line): affected users upgrade to 1.0.1g', () => {
    const [a] = parseOpensslAdvisory(corpus('html/openssl-secadv-txt/20140407.txt').toString('utf8'), META);
    expect(a).toMatchObject({ id: 'openssl:CVE-2014-0160', products: [{ product: 'OpenSSL', fixed: ['1.0.1g'] }] });
  });

  it('a text claiming to be an OpenSSL advisory without any issue section is a ParseError', () => {
    expect(() => parseOpensslAdvisory('OpenSSL Security Advisory [1 May 2024]\n\nnothing here\n', META)).toThrow(ParseError);
  });
});

describe('Debian Security Advisory', () => {
  const text = corpus('mail/derived/dsa-3775-1.inner-clearsigned.DERIVED.txt').toString('utf8');

  it('package, every CVE of the CVE ID field, the fixed version per release', () => {
    const a = parseDebianAdvisory(text, META);
    const dsa = /Debian Security Advisory (DSA-\d+-\d+)/.exec(text)![1]!;
    const pkg = /^Package\s*:\s*(\S+)/m.exec(text)![1]!;
    const cves = [...new Set(text.match(/CVE-\d{4}-\d+/g))];
    const releases = [...text.replace(/\s+/g, ' ').matchAll(/distribution \((\w+)\), these problems have been fixed in version (\S+?)\.(?: |$)/g)].map((m) => [m[1]!, m[2]!]);
    expect(releases.length).toBe(3);
    expect(a.id).toBe(`debian:${dsa}`);
    expect([...a.cves].sort()).toEqual(cves.sort());
    expect(a.products).toEqual(releases.map(([release, version]) => ({ vendor: 'Debian', product: pkg, purl: `pkg:deb/debian/${pkg}?distro=${release}`, fixed: [version] })));
    expect(a.published.slice(0, 10)).toBe('2017-01-29');
    // DSAs state no rating: not invented here (the source's defaultSeverity, if any, fills it).
    expect(a.vendorSeverity).toBeUndefined();
  });
});

describe('generic fallback', () => {
  it('CVE ids, the subject as title, the severity word or a CVSS vector when stated, else none', () => {
    const meta = { ...META, subject: '[oss-security] Foo 1.2 heap overflow', messageId: '<x@example.org>' };
    const a = parseGenericAdvisory('Hi,\n\nFoo has a heap overflow (CVE-2024-11111, CVE-2024-11112).\n\nSeverity: High\n', meta)!;
    expect(a).toMatchObject({ id: 'mail:x@example.org', title: 'Foo 1.2 heap overflow', cves: ['CVE-2024-11111', 'CVE-2024-11112'], vendorSeverity: 'high' });
    const scored = normalizeAdvisory(parseGenericAdvisory('CVE-2024-22222 CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\n', meta)!);
    expect([scored.severity, scored.severitySource, scored.cvss[0]?.score]).toEqual(['critical', 'cvss', 9.8]);
    expect(normalizeAdvisory(parseGenericAdvisory('About CVE-2024-33333.\n', meta)!).severity).toBe('none');
    expect(parseGenericAdvisory('No identifiers here.\n', meta)).toBeUndefined();
    expect(severityWord('This is a moderate severity issue.')).toBe('moderate');
  });

  it('parseAdvisoryText dispatches on the layout', () => {
    expect(parseAdvisoryText(corpus('mail/derived/dsa-3775-1.inner-clearsigned.DERIVED.txt').toString('utf8'), META).map((a) => a.id)).toEqual(['debian:DSA-3775-1']);
    expect(parseAdvisoryText('nothing\n', META)).toEqual([]);
  });
});
