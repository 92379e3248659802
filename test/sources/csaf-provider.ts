// A CSAF provider served from the corpus by a real HTTP server on 127.0.0.1 (the gocsaf
// ProviderHandler idea): the gocsaf test provider under /gocsaf/ and a CISA mirror under /cisa/.
import { corpus } from '../helpers/corpus.js';
import { startServer, type TestServer } from '../helpers/http-server.js';

const CISA_UPSTREAM = 'https://raw.githubusercontent.com/cisagov/CSAF/develop/';
export const CISA_FINGERPRINT = '144AED0A57BE7D4AE835D9D8CAC5AC4F74164B17';
export const GOCSAF_FINGERPRINT = 'A8914CA2F11139C6A69A0018FB3CD9B15DE61596';

export interface CsafProvider extends TestServer {
  /** Replace what a path serves (bytes, or a status such as 404); `undefined` restores the corpus file. */
  set(path: string, content: Uint8Array | string | number | undefined): void;
  /** GET paths requested so far (without the host). */
  gets(): string[];
}

/**
 * Knobs of the gocsaf template: `{{if .EnableSha256}}…{{end}}` blocks are rendered as the gocsaf
 * test handler does; `{{.URL}}` placeholders are left for the source to resolve.
 */
export interface ProviderOptions {
  readonly enableSha256?: boolean;
  readonly enableSha512?: boolean;
}

/** Files the server knows: request path → corpus file (rewritten on the way out where noted). */
function corpusMap(): Map<string, string> {
  const m = new Map<string, string>();
  const g = 'csaf/gocsaf-simple-rolie-provider';
  for (const f of ['provider-metadata.json', 'openpgp/pubkey.asc', 'white/white-feed.json']) m.set(`/gocsaf/${f}`, `${g}/${f}`);
  for (const ext of ['', '.asc', '.sha256', '.sha512']) m.set(`/gocsaf/white/avendor-advisory-0004.json${ext}`, `${g}/white/avendor-advisory-0004.json${ext}`);
  const it = 'csaf/cisa/IT/white';
  for (const f of ['cisa-csaf-it-feed-tlp-white.json', 'changes.csv', 'index.txt']) m.set(`/cisa/csaf_files/IT/white/${f}`, `${it}/${f}`);
  for (const doc of ['va-24-201-01', 'va-24-254-01', 'va-24-254-02']) {
    for (const ext of ['', '.asc', '.sha512']) m.set(`/cisa/csaf_files/IT/white/2024/${doc}.json${ext}`, `${it}/2024/${doc}.json${ext}`);
  }
  return m;
}

export async function startCsafProvider(options: ProviderOptions = {}): Promise<CsafProvider> {
  const files = corpusMap();
  const overrides = new Map<string, Uint8Array | string | number>();
  let base = '';
  const server = await startServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const override = overrides.get(path);
    if (typeof override === 'number') return res.writeHead(override).end();
    if (override !== undefined) return res.writeHead(200).end(override);
    if (path === '/cisa/provider-metadata.json') return res.writeHead(200, { 'content-type': 'application/json' }).end(cisaMetadata(base));
    if (path === '/cisa-dir/provider-metadata.json') return res.writeHead(200, { 'content-type': 'application/json' }).end(cisaDirectoryMetadata(base));
    const rel = files.get(path);
    if (rel === undefined) return res.writeHead(404).end('not found');
    res.writeHead(200).end(render(path, corpus(rel), base, options));
  });
  base = server.url;
  return {
    ...server,
    set: (path, content) => (content === undefined ? overrides.delete(path) : overrides.set(path, content)),
    gets: () => server.requests.filter((r) => r.method === 'GET').map((r) => r.url),
  };
}

function render(path: string, body: Buffer, base: string, options: ProviderOptions): Buffer | string {
  if (path === '/gocsaf/white/white-feed.json') {
    return body
      .toString('utf8')
      .replace(/\{\{if \.EnableSha256\}\}([\s\S]*?)\{\{end\}\}/, options.enableSha256 === false ? '' : '$1')
      .replace(/\{\{if \.EnableSha512\}\}([\s\S]*?)\{\{end\}\}/, options.enableSha512 === false ? '' : '$1');
  }
  // The CISA mirror: upstream links point at this server instead of GitHub.
  if (path.startsWith('/cisa/') && path.endsWith('feed-tlp-white.json')) return body.toString('utf8').replaceAll(CISA_UPSTREAM, `${base}/cisa/`);
  return body;
}

/** CISA's real provider-metadata.json is not in the corpus: this one names its ROLIE feed and key fingerprint. */
function cisaMetadata(base: string): string {
  return JSON.stringify({
    canonical_url: `${base}/cisa/provider-metadata.json`,
    distributions: [{ rolie: { feeds: [{ tlp_label: 'WHITE', url: `${base}/cisa/csaf_files/IT/white/cisa-csaf-it-feed-tlp-white.json` }] } }],
    metadata_version: '2.0',
    public_openpgp_keys: [{ fingerprint: CISA_FINGERPRINT, url: `${base}/cisa/openpgp/cisa.asc` }],
    publisher: { category: 'coordinator', name: 'CISA', namespace: 'https://www.cisa.gov/' },
    role: 'csaf_trusted_provider',
  });
}

/** The same CISA documents through a directory distribution (changes.csv / index.txt). */
function cisaDirectoryMetadata(base: string): string {
  return JSON.stringify({
    distributions: [{ directory_url: `${base}/cisa/csaf_files/IT/white/` }],
    publisher: { category: 'coordinator', name: 'CISA', namespace: 'https://www.cisa.gov/' },
    public_openpgp_keys: [],
  });
}
