// A KEV publisher on 127.0.0.1 for the poll and end-to-end benchmarks: each path serves a catalog
// with an ETag and a Last-Modified, answers 304 to a conditional GET that still matches (RFC 9110
// §13.1.2: If-None-Match wins over If-Modified-Since), and can publish a new catalog at any time.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { corpusFile } from './measure.js';

export interface KevEntry {
  readonly cveID: string;
  readonly vendorProject: string;
  readonly product: string;
  readonly vulnerabilityName: string;
  readonly dateAdded: string;
  readonly shortDescription: string;
  readonly requiredAction: string;
  readonly dueDate: string;
  readonly knownRansomwareCampaignUse: string;
  readonly notes: string;
  readonly cwes: readonly string[];
}

interface Published {
  readonly body: Buffer;
  readonly etag: string;
  readonly lastModified: string;
}

export interface KevServer {
  readonly url: string;
  /** Answers by status since the last reset: how the benchmark checks a cycle really was all 304s. */
  readonly answered: Map<number, number>;
  /** Put a catalog of `entries` at `path` with a fresh ETag and Last-Modified. */
  publish(path: string, entries: readonly KevEntry[]): void;
  close(): Promise<void>;
}

/** Real entries of the corpus catalog (test/fixtures/corpus/kev), to copy realistic fields from. */
export function corpusKevEntries(): KevEntry[] {
  const catalog = JSON.parse(corpusFile('kev/known_exploited_vulnerabilities.2025-08-25.json').toString('utf8')) as { vulnerabilities: KevEntry[] };
  return catalog.vulnerabilities;
}

export async function startKevServer(): Promise<KevServer> {
  const published = new Map<string, Published>();
  const answered = new Map<number, number>();
  let version = 0;
  const answer = (res: ServerResponse, status: number, headers: Record<string, string>, body?: Buffer): void => {
    answered.set(status, (answered.get(status) ?? 0) + 1);
    res.writeHead(status, headers).end(body);
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const doc = published.get(req.url ?? '');
    if (!doc) return answer(res, 404, {});
    const validators = { etag: doc.etag, 'last-modified': doc.lastModified };
    const inm = req.headers['if-none-match'];
    const ims = req.headers['if-modified-since'];
    const fresh = inm !== undefined ? inm === doc.etag : ims !== undefined && Date.parse(ims) >= Date.parse(doc.lastModified);
    if (fresh) return answer(res, 304, validators);
    answer(res, 200, { ...validators, 'content-type': 'application/json' }, doc.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    answered,
    publish(path, entries) {
      version++;
      const catalog = {
        title: 'CISA Catalog of Known Exploited Vulnerabilities',
        catalogVersion: `bench.${version}`,
        dateReleased: new Date().toISOString(),
        count: entries.length,
        vulnerabilities: entries,
      };
      // Last-Modified has one-second resolution; the version keeps it moving forward anyway.
      const lastModified = new Date(Date.UTC(2025, 0, 1) + version * 1000).toUTCString();
      published.set(path, { body: Buffer.from(JSON.stringify(catalog)), etag: `"kev-${version}"`, lastModified });
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
