// The data every web test looks at: the real KEV catalog of 2025-08-25, the gocsaf provider
// serving the tampered CSAF document (quarantined under `verify: require`), and an inventory
// naming three KEV products.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { corpus, corpusPath } from '../helpers/corpus.js';
import { startCsafProvider, type CsafProvider } from '../sources/csaf-provider.js';

export const ADMIN_TOKEN = 'web-test-admin-token-4d1e8b';
export const KEV_FILE = 'kev/known_exploited_vulnerabilities.2025-08-25.json';
export const TAMPERED_PATH = '/gocsaf/white/avendor-advisory-0004.json';

export interface KevEntry {
  readonly cveID: string;
  readonly vendorProject: string;
  readonly product: string;
  readonly dueDate: string;
}

/** The catalog entries the inventory below names, read from the catalog itself. */
export function inventoryHits(): KevEntry[] {
  const catalog = JSON.parse(corpus(KEV_FILE).toString('utf8')) as { vulnerabilities: KevEntry[] };
  return catalog.vulnerabilities.filter(
    (v) => (v.vendorProject === 'Git' && v.product === 'Git') || (v.vendorProject === 'Citrix' && (v.product === 'Session Recording' || v.product === 'NetScaler ADC and Gateway')),
  );
}

export interface WebFixture {
  readonly dir: string;
  readonly provider: CsafProvider;
  /** The config as an object (resolveConfig) … */
  readonly config: Record<string, unknown>;
  /** … and as a YAML file for `secwatch serve --config`. */
  readonly configFile: string;
  close(): Promise<void>;
}

export async function webFixture(): Promise<WebFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'secwatch-web-'));
  const provider = await startCsafProvider();
  provider.set(TAMPERED_PATH, corpus('csaf/tampered/avendor-advisory-0004.tampered.json'));
  writeFileSync(
    join(dir, 'inventory.yaml'),
    [
      'items:',
      '  - { name: git build agents, vendor: Git, product: Git, instances: 12, collection: ci, location: build farm }',
      '  - { name: session recording, vendor: Citrix, product: Session Recording, instances: 2, collection: dc, testsFirst: true }',
      '  - { name: edge gateways, vendor: Citrix, product: NetScaler ADC and Gateway, instances: 4, collection: dmz, location: Frankfurt }',
      '',
    ].join('\n'),
  );
  const sources = [
    { id: 'cisa-kev', kind: 'kev', url: pathToFileURL(corpusPath(KEV_FILE)).href, interval: '1h' },
    { id: 'acme-csaf', kind: 'csaf', url: `${provider.url}/gocsaf/provider-metadata.json`, verify: 'require', interval: '1h' },
  ];
  const config = {
    dataDir: dir,
    sources,
    inventory: { files: [join(dir, 'inventory.yaml')] },
    network: { allowPrivateHosts: ['127.0.0.1'] },
    http: { host: '127.0.0.1', port: 0 },
  };
  const configFile = join(dir, 'secwatch.yaml');
  // JSON is YAML: the same object for both ways of starting.
  writeFileSync(configFile, JSON.stringify(config, null, 2));
  return { dir, provider, config, configFile, close: () => provider.close() };
}
