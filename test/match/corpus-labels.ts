// Labelled inventories for the corpus, shared by the per-source tests and the precision/recall
// report. Every expected pair was derived by reading the documents (ranges, versions, names).
import type { InventoryItem } from '../../src/model/inventory.js';

const pkg = (name: string, purl: string, version?: string): InventoryItem => ({
  name,
  purl,
  instances: 1,
  collection: 'osv',
  ...(version === undefined ? {} : { version }),
});

export const OSV_INVENTORY: InventoryItem[] = [
  pkg('go-1.18.5', 'pkg:golang/stdlib@1.18.5'),
  pkg('go-1.18.6', 'pkg:golang/stdlib', 'v1.18.6'), // fixed for GO-2022-0969 (first range), `v` prefix
  pkg('go-1.19.0', 'pkg:golang/stdlib@1.19.0'), // second range of GO-2022-0969 starts at 1.19.0-0
  pkg('go-1.19.1', 'pkg:golang/stdlib@1.19.1'),
  pkg('go-1.20.0', 'pkg:golang/stdlib@1.20.0'),
  pkg('go-1.20.1', 'pkg:golang/stdlib@1.20.1'),
  pkg('go-1.21.0', 'pkg:golang/stdlib', 'go1.21.0'), // toolchain spelling
  pkg('go-1.21.3', 'pkg:golang/stdlib@1.21.3'),
  pkg('go-1.21.9', 'pkg:golang/stdlib@1.21.9'), // fixed on the 1.21 line, below the 1.22 range
  pkg('go-1.22.1', 'pkg:golang/stdlib@1.22.1'),
  pkg('go-1.22.2', 'pkg:golang/stdlib@1.22.2'),
  pkg('go-banana', 'pkg:golang/stdlib@banana'),
  pkg('xnet-pseudo', 'pkg:golang/golang.org/x/net@v0.0.0-20220101000000-abcdefabcdef'),
  pkg('xnet-0.6.0', 'pkg:golang/golang.org/x/net@v0.6.0'),
  pkg('xnet-0.17.0', 'pkg:golang/golang.org/x/net@v0.17.0'),
  pkg('xnet-0.23.0', 'pkg:golang/golang.org/x/net@v0.23.0'),
  pkg('k8s-1.30.0', 'pkg:golang/k8s.io/kubernetes@v1.30.0'), // open-ended range, no fix
  pkg('protobuf-1.32.0', 'pkg:golang/google.golang.org/protobuf@v1.32.0'),
  pkg('protobuf-1.33.0', 'pkg:golang/google.golang.org/protobuf@v1.33.0'),
  pkg('crypto-0.34.0', 'pkg:golang/golang.org/x/crypto@v0.34.0'),
  pkg('crypto-0.35.0', 'pkg:golang/golang.org/x/crypto@v0.35.0'),
  pkg('text-0.3.6', 'pkg:golang/golang.org/x/text@v0.3.6'),
  pkg('text-0.3.7', 'pkg:golang/golang.org/x/text@v0.3.7'),
  pkg('requests-2.2.1', 'pkg:pypi/requests@2.2.1'),
  pkg('requests-2.3.0', 'pkg:pypi/requests@2.3.0'), // introduced, and listed
  pkg('requests-2.30.0.post1', 'pkg:pypi/requests@2.30.0.post1'), // in range but not listed: PEP 440 ordering decides
  pkg('requests-2.31.0', 'pkg:pypi/Requests@2.31.0'),
  pkg('requests-unknown', 'pkg:pypi/requests'),
  pkg('gradio-4.36.1', 'pkg:pypi/gradio@4.36.1'),
  pkg('gradio-4.37.0', 'pkg:pypi/gradio@4.37.0'),
  pkg('123bla-0.0.1', 'pkg:pypi/123bla@0.0.1'),
];

/** OSV record (path under osv/) → expected [item, confidence] pairs. */
const H = 'high';
export const OSV_EXPECTED: Record<string, [string, string][]> = {
  'github-advisory-database/GHSA-9v2f-6vcg-3hgv.json': [['gradio-4.36.1', H]],
  'osv-schema-testdata/GHSA-9v2f-6vcg-3hgv.linter-modified.json': [['gradio-4.36.1', H]],
  'osv-schema-testdata/MAL-2024-10238.json': [['123bla-0.0.1', H]],
  'osv-schema-testdata/RHSA-2022_0216.json': [],
  'osv-schema-testdata/PYSEC-2023-74.json': [
    ['requests-2.3.0', H],
    ['requests-2.30.0.post1', H],
    ['requests-unknown', 'low'],
  ],
  'osv-schema-testdata/CVE-2023-41045.json': [], // GIT ranges only
  'go-vulndb/GO-2022-0969.json': [
    ['go-1.18.5', H],
    ['go-1.19.0', H],
    ['xnet-pseudo', H],
    ['go-banana', 'low'],
  ],
  'go-vulndb/GO-2022-0617.json': [['k8s-1.30.0', H]],
  'go-vulndb/GO-2023-1571.json': [
    ['go-1.18.5', H],
    ['go-1.18.6', H],
    ['go-1.19.0', H],
    ['go-1.19.1', H],
    ['go-1.20.0', H],
    ['xnet-0.6.0', H],
    ['xnet-pseudo', H],
    ['go-banana', 'low'],
  ],
  'go-vulndb/GO-2024-2611.json': [['protobuf-1.32.0', H]],
  'go-vulndb/GO-2025-3487.json': [['crypto-0.34.0', H]],
  'go-vulndb/GO-2023-2102.json': [
    ['go-1.18.5', H],
    ['go-1.18.6', H],
    ['go-1.19.0', H],
    ['go-1.19.1', H],
    ['go-1.20.0', H],
    ['go-1.20.1', H],
    ['go-1.21.0', H],
    ['xnet-0.6.0', H],
    ['xnet-pseudo', H],
    ['go-banana', 'low'],
  ],
  'go-vulndb/GO-2024-2687.json': [
    ['go-1.18.5', H],
    ['go-1.18.6', H],
    ['go-1.19.0', H],
    ['go-1.19.1', H],
    ['go-1.20.0', H],
    ['go-1.20.1', H],
    ['go-1.21.0', H],
    ['go-1.21.3', H],
    ['go-1.22.1', H],
    ['xnet-0.17.0', H],
    ['xnet-0.6.0', H],
    ['xnet-pseudo', H],
    ['go-banana', 'low'],
  ],
  'go-vulndb/GO-2021-0113.json': [['text-0.3.6', H]],
};


const named = (name: string, vendor: string, product: string, version?: string): InventoryItem => ({
  name,
  vendor,
  product,
  instances: 1,
  collection: 'csaf',
  ...(version === undefined ? {} : { version }),
});

/** Items for the CSAF documents: by purl and CPE (Red Hat), by vendor/product and version ranges (CISA). */
export const CSAF_INVENTORY: InventoryItem[] = [
  { name: 'git-lfs old', purl: 'pkg:rpm/redhat/git-lfs@2.13.3-2.el8?arch=x86_64', instances: 1, collection: 'csaf' },
  { name: 'git-lfs fixed', purl: 'pkg:rpm/redhat/git-lfs@2.13.3-3.el8_6.1?arch=x86_64', instances: 1, collection: 'csaf' },
  { name: 'git-lfs epoch-newer', purl: 'pkg:rpm/redhat/git-lfs@1:2.0.0-1.el8', instances: 1, collection: 'csaf' },
  { name: 'rhel aus 8.6', cpe: 'cpe:2.3:a:redhat:rhel_aus:8.6:*:*:*:*:*:*:*', instances: 1, collection: 'csaf' },
  { name: 'rhel aus 8.4', cpe: 'cpe:2.3:a:redhat:rhel_aus:8.4:*:*:*:*:*:*:*', instances: 1, collection: 'csaf' },
  named('scada 5.8.4', 'Rapid Software LLC', 'Rapid SCADA', '5.8.4'),
  named('scada 5.8.5', 'Rapid Software LLC', 'Rapid SCADA', '5.8.5'),
  named('videoedge 5.5', 'Sensormatic Electronics, LLC, Johnson Controls Inc.', 'VideoEdge', '5.5.0'),
  named('videoedge 5.8', 'Sensormatic Electronics, LLC, Johnson Controls Inc.', 'VideoEdge', '5.8.0'),
  named('edg 8.0', 'TopQuadrant', 'TopBraid EDG', '8.0'),
  named('edg 8.0.1', 'TopQuadrant', 'TopBraid EDG', '8.0.1'),
  named('adminerevo 4.8.3', 'AdminerEvo', 'AdminerEvo', '4.8.3'),
  named('adminerevo 4.8.4', 'AdminerEvo', 'AdminerEvo', '4.8.4'),
  named('adminer', 'Adminer', 'Adminer', '4.8.1'), // "all versions"
  named('sinamics', 'Siemens', 'SINAMICS PERFECT HARMONY GH180 Drives', 'V8.0'), // "All versions"
  named('crimson 3119', 'Red Lion, AutomationDirect', 'Crimson 3.1', '3119.001'), // "< 3119.001": fixed
  named('crimson 3118', 'Red Lion, AutomationDirect', 'Crimson 3.1', '3118.0'),
  named('hetronic nova', 'Hetronic', 'Nova-M', 'r150'), // "< r161"
  named('epm', 'RONDS', 'Equipment Predictive Maintenance (EPM)', '1.19.5'),
];

/** CSAF document → the item names it concerns (read from each document's product_tree and statuses). */
export const CSAF_EXPECTED: Record<string, string[]> = {
  'csaf/redhat/rhsa-2024_4546.json': ['git-lfs old', 'rhel aus 8.6'], // 1:2.0.0 is a newer epoch: fixed
  'csaf/cisa/OT/white/2024/icsa-24-011-03.json': ['scada 5.8.4'],
  'csaf/cisa/OT/white/2022/icsa-22-011-01.json': ['videoedge 5.5'],
  'csaf/cisa/IT/white/2024/va-24-254-02.json': ['edg 8.0'],
  'csaf/cisa/IT/white/2024/va-24-201-01.json': ['adminerevo 4.8.3', 'adminer'],
  'csaf/cisa/OT/white/2020/icsa-20-014-04.json': ['sinamics'],
  'csaf/cisa/OT/white/2021/icsa-21-005-04.json': ['crimson 3118'],
  'csaf/cisa/OT/white/2019/icsa-19-003-03.json': ['hetronic nova'],
  'csaf/cisa/OT/white/2023/icsa-23-012-02.json': ['epm'],
};

const kevItem = (name: string, vendor: string, product: string, concernedBy: RegExp, version?: string): KevItem => ({
  name,
  vendor,
  product,
  instances: 1,
  collection: 'kev',
  concernedBy,
  ...(version === undefined ? {} : { version }),
});

/** An item with the KEV "vendorProject|product" pairs a person reading the catalog says concern it. */
export interface KevItem extends InventoryItem {
  readonly concernedBy: RegExp;
}

export const KEV_INVENTORY: KevItem[] = [
  // Windows components (Win32k, "Windows CNG Key Isolation Service") concern a Windows server too.
  kevItem('win-2019', 'Microsoft', 'Windows Server 2019', /^Microsoft\|(Windows( .*)?|Win32k)\s*$/),
  kevItem('exchange', 'Microsoft', 'Exchange Server 2019', /^Microsoft\|Exchange( Server)?$/),
  kevItem('office', 'Microsoft', 'Office', /^Microsoft\|Office( .*)?$/),
  kevItem('tomcat', 'Apache', 'Tomcat', /^Apache\|Tomcat$/, '9.0.80'),
  kevItem('struts2', 'Apache', 'Struts 2', /^Apache\|Struts( 2)?$/),
  kevItem('log4j', 'Apache', 'Log4j2', /^Apache\|Log4j2$/),
  kevItem('chromium', 'Google', 'Chromium', /^Google\|Chrom(e|ium)( .*)?$/),
  kevItem('kernel', 'Linux', 'Kernel', /^Linux\|Kernel$/),
  kevItem('pan-os', 'Palo Alto Networks', 'PAN-OS', /^Palo Alto Networks\|PAN-OS$/),
  kevItem('fortios', 'Fortinet', 'FortiOS', /^Fortinet\|FortiOS( and .*)?$/),
  kevItem('vcenter', 'VMware', 'vCenter Server', /^VMware\|vCenter Server( and .*)?$/),
  kevItem('weblogic', 'Oracle', 'WebLogic Server', /^Oracle\|WebLogic Server$/),
  kevItem('roundcube', 'Roundcube', 'Roundcube Webmail', /^Roundcube\|(Roundcube )?Webmail$/),
  kevItem('session-rec', 'Citrix', 'Session Recording', /^Citrix\|Session Recording$/),
  kevItem('netscaler', 'Citrix', 'NetScaler ADC', /^Citrix\|(NetScaler ADC.*|Application Delivery Controller.*)$/),
  kevItem('widget', 'Acme', 'Widget', /^Acme\|/),
];
