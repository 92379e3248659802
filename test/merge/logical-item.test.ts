import { describe, expect, it } from 'vitest';
import { alsoReportedBy, logicalItemOf, mergeAdvisories } from '../../src/merge/index.js';
import { normalizeAdvisory } from '../../src/normalize/normalize.js';
import { parseKev, parseOsv } from '../../src/parse/index.js';
import type { Advisory } from '../../src/model/advisory.js';
import { makeAdvisory } from '../helpers/advisory-factory.js';
import { corpus, corpusDocument } from '../helpers/corpus.js';

const adv = (id: string, cves: string[], o: Partial<Advisory> = {}): Advisory =>
  makeAdvisory({ id, cves, source: { kind: 'rss', id: id.split(':')[0] ?? id }, severity: 'moderate', severitySource: 'vendor', exploited: {}, ...o });

describe('mergeAdvisories', () => {
  it('joins advisories sharing a CVE, also through a third one, and leaves the others apart', () => {
    const items = mergeAdvisories([
      adv('a:1', ['CVE-2024-0001', 'CVE-2024-0002']),
      adv('b:1', ['cve-2024-0002', 'CVE-2024-0003']),
      adv('c:1', ['CVE-2024-0003']),
      adv('d:1', ['CVE-2024-0009']),
      adv('e:1', []),
      adv('f:1', []),
    ]);
    expect(items.map((i) => [i.key, i.provenance.map((p) => p.advisoryId).sort()])).toEqual([
      ['CVE-2024-0001', ['a:1', 'b:1', 'c:1']],
      ['CVE-2024-0009', ['d:1']],
      ['e:1', ['e:1']],
      ['f:1', ['f:1']],
    ]);
    expect(items[0]?.cves).toEqual(['CVE-2024-0001', 'CVE-2024-0002', 'CVE-2024-0003']);
  });

  it('takes the highest severity (the vendor word on a tie), the earliest KEV due date, unions and date bounds', () => {
    const [item] = mergeAdvisories([
      adv('kev:X', ['CVE-2024-0001'], {
        severity: 'important',
        severitySource: 'kev',
        exploited: { exploited: true, kev: { dateAdded: '2024-07-02', dueDate: '2024-07-23', ransomware: false } },
        published: '2024-07-02T00:00:00.000Z',
        products: [{ vendor: 'Example', product: 'Example Server' }],
        remediation: {},
      }),
      adv('vendor:X', ['CVE-2024-0001'], {
        severity: 'important',
        severitySource: 'vendor',
        exploited: { publiclyDisclosed: false },
        published: '2024-07-01T00:00:00.000Z',
        modified: '2024-07-05T00:00:00.000Z',
        products: [{ vendor: 'example', product: 'example server' }, { vendor: 'Example', product: 'Example Agent' }],
        remediation: { kbs: ['KB2'], fixedVersions: ['2.4.1'] },
      }),
      adv('osv:X', ['CVE-2024-0001'], { severity: 'moderate', severitySource: 'cvss', remediation: { fixedVersions: ['2.4.1', '2.3.9'] } }),
    ]);
    expect(item).toMatchObject({
      severity: 'important',
      severitySource: 'vendor',
      severityFrom: 'vendor:X',
      exploited: { exploited: true, publiclyDisclosed: false, kev: { dueDate: '2024-07-23' } },
      kbs: ['KB2'],
      fixedVersions: ['2.3.9', '2.4.1'],
      published: '2024-07-01T00:00:00.000Z',
      modified: '2024-07-05T00:00:00.000Z',
    });
    // Example Server from three sources (case differs) is one product.
    expect(item?.products.map((p) => p.product).sort()).toEqual(['Example Agent', 'Example Server']);
    expect(item?.provenance.map((p) => p.advisoryId)).toEqual(['vendor:X', 'osv:X', 'kev:X']);
  });

  it('knows which item an advisory belongs to, and who else reported its CVEs', () => {
    const me = adv('a:1', ['CVE-2024-0001']);
    const others = [adv('b:1', ['CVE-2024-0001', 'CVE-2024-0005']), adv('c:1', ['CVE-2024-0007'])];
    expect(logicalItemOf(me, others).provenance.map((p) => p.advisoryId).sort()).toEqual(['a:1', 'b:1']);
    expect(alsoReportedBy(me, [me, ...others]).map((p) => p.advisoryId)).toEqual(['b:1']);
    expect(alsoReportedBy(adv('z:1', []), others)).toEqual([]);
  });
});

describe('merging corpus documents: KEV and the Go vulndb both report CVE-2023-44487', () => {
  it('gives one item with both sources, the KEV due date and the Go packages', async () => {
    const kevJson = JSON.parse(corpus('kev/known_exploited_vulnerabilities.2025-08-25.json').toString('utf8')) as {
      vulnerabilities: { cveID: string; dueDate: string }[];
    };
    const osvJson = JSON.parse(corpus('osv/go-vulndb/GO-2023-2102.json').toString('utf8')) as { id: string; aliases: string[]; related: string[]; affected: { package: { name: string } }[] };
    // The osv parser takes the CVE ids of id, aliases and related (README); Go lists the generic HTTP/2 CVE as related.
    const listed = [...osvJson.aliases, ...osvJson.related].filter((a) => kevJson.vulnerabilities.some((v) => v.cveID === a));
    expect(listed).toEqual(['CVE-2023-44487']);
    const cve = listed[0]!;
    const due = kevJson.vulnerabilities.find((v) => v.cveID === cve)!.dueDate;
    const kev = (await parseKev(corpusDocument('kev/known_exploited_vulnerabilities.2025-08-25.json', { sourceId: 'cisa-kev', sourceKind: 'kev' }))).map((p) =>
      normalizeAdvisory(p),
    );
    const osv = (await parseOsv(corpusDocument('osv/go-vulndb/GO-2023-2102.json', { sourceId: 'go', sourceKind: 'osv' }))).map((p) => normalizeAdvisory(p));
    const items = mergeAdvisories([...kev, ...osv]);
    expect(items).toHaveLength(kev.length); // the Go record joins its KEV entry, adds no item
    const item = items.find((i) => i.cves.includes(cve))!;
    expect(item.provenance.map((p) => p.advisoryId).sort()).toEqual([`kev:${cve}`, `osv:${osvJson.id}`]);
    expect(item.exploited.kev?.dueDate).toBe(due);
    for (const a of osvJson.affected) expect(item.products.map((p) => p.product)).toContain(a.package.name);
  });
});
