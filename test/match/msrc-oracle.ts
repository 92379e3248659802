// An oracle for the MSRC CVRF months, independent of the parser and matchers: it reads the XML
// with regular expressions and decides, per CVE and inventory item, whether the item is affected.
// The Windows inventory below says which published product names each item stands for.
import type { InventoryItem } from '../../src/model/inventory.js';
import { corpus } from '../helpers/corpus.js';

export interface WindowsItem extends InventoryItem {
  /** The CVRF FullProductNames this machine is (any edition/installation of its release). */
  readonly publishedAs: RegExp;
}

const win = (name: string, product: string, publishedAs: RegExp, version?: string, over: Partial<InventoryItem> = {}): WindowsItem => ({
  name,
  vendor: 'Microsoft',
  product,
  instances: 1,
  collection: 'windows',
  publishedAs,
  ...(version === undefined ? {} : { version }),
  ...over,
});

/** Machines at builds below, at and above the fixes of 2023-Jan and 2025-Jan, and with no version. */
export const WINDOWS_INVENTORY: readonly WindowsItem[] = [
  win('dc-2012r2-old', 'Windows Server 2012 R2', /^Windows Server 2012 R2( \(Server Core installation\))?$/, '6.3.9600.20000', { exposed: true }),
  win('fs-2012r2-jan25', 'Windows Server 2012 R2', /^Windows Server 2012 R2( \(Server Core installation\))?$/, '6.3.9600.22371'),
  win('core-2012r2', 'Windows Server 2012 R2 (Server Core installation)', /^Windows Server 2012 R2( \(Server Core installation\))?$/, '6.3.9600.20778'),
  win('app-2012', 'Windows Server 2012', /^Windows Server 2012( \(Server Core installation\))?$/, '6.2.9200.24000', { testsFirst: true }),
  win('web-2019', 'Windows Server 2019', /^Windows Server 2019( \(Server Core installation\))?$/),
  win('old-2008', 'Windows Server 2008', /^Windows Server 2008 for (32-bit|x64-based) Systems Service Pack 2( \(Server Core installation\))?$/, '6.0.6003.21000'),
  win('old-2008r2', 'Windows Server 2008 R2', /^Windows Server 2008 R2 for x64-based Systems Service Pack 1( \(Server Core installation\))?$/, '6.1.7601.26000'),
  win('laptop-22h2', 'Windows 10 Version 22H2', /^Windows 10 Version 22H2 for .*$/, '10.0.19045.5000'),
  win('laptop-24h2', 'Windows 11 Version 24H2', /^Windows 11 Version 24H2 for .*$/, '10.0.26100.2894'),
  win('kiosk-1607', 'Windows 10 Version 1607', /^Windows 10 Version 1607 for .*$/, '10.0.14393.5000'),
  win('office', 'Office 2019', /^Microsoft Office 2019 for (32|64)-bit editions$/),
];

export interface CvrfFacts {
  /** CVE → the item names the XML says are affected. */
  readonly affected: ReadonlyMap<string, ReadonlySet<string>>;
}

const numeric = (v: string): number[] | undefined => (/^\d+(\.\d+)*$/.test(v) ? v.split('.').map(Number) : undefined);

/** a < b for dotted numeric builds of the same shape; undefined when they cannot be compared. */
function below(a: string, b: string): boolean | undefined {
  const x = numeric(a);
  const y = numeric(b);
  if (!x || !y || x.length !== y.length) return undefined;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! < y[i]!;
  return false;
}

/** Reads one month and decides every (CVE, item) pair from the XML alone. */
export function cvrfFacts(rel: string, inventory: readonly WindowsItem[]): CvrfFacts {
  const xml = corpus(rel).toString('utf8');
  const names = new Map<string, string>();
  for (const m of xml.matchAll(/<prod:FullProductName\s+ProductID="([^"]+)"[^>]*>([^<]*)<\/prod:FullProductName>/g)) {
    names.set(m[1]!, m[2]!.replace(/&amp;/g, '&').trim());
  }
  const affected = new Map<string, Set<string>>();
  for (const v of xml.matchAll(/<vuln:Vulnerability[\s\S]*?<\/vuln:Vulnerability>/g)) {
    const body = v[0];
    const cve = /<vuln:CVE>([^<]+)<\/vuln:CVE>/.exec(body)?.[1];
    if (!cve) continue;
    const ids = new Set<string>();
    for (const s of body.matchAll(/<vuln:Status\s+Type="Known Affected">([\s\S]*?)<\/vuln:Status>/g)) {
      for (const p of s[1]!.matchAll(/<vuln:ProductID>([^<]+)<\/vuln:ProductID>/g)) ids.add(p[1]!);
    }
    const fixes = new Map<string, string[]>();
    for (const r of body.matchAll(/<vuln:Remediation\s+Type="Vendor Fix">([\s\S]*?)<\/vuln:Remediation>/g)) {
      const builds = [...r[1]!.matchAll(/<vuln:FixedBuild>([^<]+)<\/vuln:FixedBuild>/g)].map((b) => b[1]!.trim());
      for (const p of r[1]!.matchAll(/<vuln:ProductID>([^<]+)<\/vuln:ProductID>/g)) fixes.set(p[1]!, [...(fixes.get(p[1]!) ?? []), ...builds]);
    }
    const hit = new Set<string>();
    for (const item of inventory) {
      for (const id of ids) {
        const name = names.get(id);
        if (name === undefined || !item.publishedAs.test(name)) continue;
        const builds = fixes.get(id) ?? [];
        // No version on either side: nothing to compare, the item is affected. A build at or above
        // any fixed build of the same shape means fixed.
        const fixed = item.version !== undefined && builds.some((b) => below(item.version!, b) === false);
        if (!fixed) hit.add(item.name);
      }
    }
    if (hit.size > 0) affected.set(cve, hit);
  }
  return { affected };
}
