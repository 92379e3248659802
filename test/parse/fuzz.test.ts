// Garbage in, ParseError out (miniflux's FuzzParse idea): never a TypeError, RangeError or a hang.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError, ParseError } from '../../src/errors.js';
import type { DocumentFormat, Parser } from '../../src/parse/index.js';
import { parsers } from '../../src/parse/index.js';
import { corpus, CORPUS_FETCHED_AT } from '../helpers/corpus.js';

/** mulberry32: small, seeded, good enough to pick offsets; the same seed gives the same inputs. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const bytesOf = (chars: string): number[] => [...chars].map((c) => c.charCodeAt(0));
/** Bytes that matter to JSON and XML, so flips hit structure more often than uniform noise would. */
const SYNTAX = bytesOf('{}[]":,<>/?!&;=\'-\\ \n0aZ').concat([0x00, 0xff, 0xc3, 0xef]);
/** Bytes that mostly keep a document well-formed, so odd values reach the adapters, not only the syntax checks. */
const TEXT = bytesOf('abcXYZ0189-: ');

function mutants(seeds: readonly Uint8Array[], count: number, seed: number): Uint8Array[] {
  const rnd = prng(seed);
  const int = (n: number): number => Math.floor(rnd() * n);
  const out: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const base = seeds[i % seeds.length]!;
    switch (i % 5) {
      case 0: // truncation
        out.push(base.slice(0, int(base.length)));
        break;
      case 1:
      case 2: {
        // a few byte flips: structural or any byte, or text-like ones
        // Uint8Array.prototype.slice copies; Buffer#slice would be a view and mutate the seed.
        const copy = Uint8Array.prototype.slice.call(base);
        const [pool, flips, noise] = i % 5 === 1 ? [SYNTAX, 1 + int(8), 0.2] : [TEXT, 1 + int(2), 0];
        for (let k = flips; k > 0; k--) copy[int(copy.length)] = rnd() < noise ? int(256) : pool[int(pool.length)]!;
        out.push(copy);
        break;
      }
      case 3: {
        // a slice of the document spliced into the middle of itself
        const from = int(base.length);
        const to = Math.min(base.length, from + int(200));
        const at = int(base.length);
        out.push(new Uint8Array([...base.subarray(0, at), ...base.subarray(from, to), ...base.subarray(at)]));
        break;
      }
      default: // random bytes
        out.push(Uint8Array.from({ length: int(400) }, () => int(256)));
    }
  }
  return out;
}

const kevSmall = (): Uint8Array => {
  // The first 20 entries of the real catalog, so flips and splices land in entries, not only in the array.
  const catalog = JSON.parse(corpus('kev/known_exploited_vulnerabilities.2025-08-25.json').toString('utf8')) as {
    vulnerabilities: unknown[];
  };
  const small = { ...catalog, count: 20, vulnerabilities: catalog.vulnerabilities.slice(0, 20) };
  return new TextEncoder().encode(JSON.stringify(small, null, 2));
};

/** The head of the real 2017-Mar month through its third vulnerability, closed: every CVRF part, ~30 kB. */
const cvrfSmall = (): Uint8Array => {
  const xml = corpus('msrc/cvrf-2017-Mar.xml').toString('utf8');
  let end = 0;
  for (let k = 0; k < 3; k++) end = xml.indexOf('</vuln:Vulnerability>', end) + '</vuln:Vulnerability>'.length;
  return new TextEncoder().encode(`${xml.slice(0, end)}\n</cvrf:cvrfdoc>`);
};

const inlineFeeds = [
  `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><title>Critical: x CVE-2024-1234</title>
   <link>https://e.example/RHSA-2024:1</link><pubDate>Mon, 02 Sep 2024 08:30:00 +0200</pubDate>
   <description><![CDATA[<p>a &amp; b</p>]]></description><category domain="s">Low</category></item></channel></rss>`,
  `<feed xmlns="http://www.w3.org/2005/Atom"><title>a</title><updated>2024-10-01T12:00:00Z</updated><entry><id>urn:x</id>
   <title type="html">[High] &lt;b&gt;x&lt;/b&gt;</title><link rel="alternate" href="https://e.example/GHSA-9v2f-6vcg-3hgv"/>
   <published>2024-09-30T08:00:00+02:00</published><updated>2024-10-01T09:15:00Z</updated><category term="Moderate"/>
   <content type="html">&lt;p&gt;CVE-2024-47164&lt;/p&gt;</content></entry></feed>`,
].map((x) => new TextEncoder().encode(x));

const inputs: Record<DocumentFormat, () => Uint8Array[]> = {
  kev: () => [
    ...mutants([kevSmall(), corpus('cisa-rss/cisa-csaf-it-feed-tlp-white.2024-10-03.json')], 180, 0x5ec),
    ...mutants([corpus('kev/known_exploited_vulnerabilities.2025-08-21.json')], 20, 0xca7),
  ],
  rss: () => mutants([corpus('vendor-rss/debian/dsa-long.3-item-excerpt.rdf'), ...inlineFeeds], 200, 0xfeed),
  csaf: () =>
    mutants(
      // Plain copies: Buffer#slice is a view, and the mutants must not accumulate each other's flips.
      [
        corpus('csaf/gocsaf-simple-rolie-provider/white/avendor-advisory-0004.json'),
        corpus('csaf/cisa/IT/white/2024/va-24-254-02.json'),
        corpus('csaf/redhat/rhsa-2024_4546.json'),
      ].map((b) => new Uint8Array(b)),
      200,
      0xc5af,
    ),
  cvrf: () => mutants([corpus('msrc/cvrf-2007-Jun.xml'), cvrfSmall()], 200, 0xc7f),
  osv: () =>
    mutants(
      [
        corpus('osv/github-advisory-database/GHSA-9v2f-6vcg-3hgv.json'),
        corpus('osv/osv-schema-testdata/PYSEC-2023-74.json'),
        new TextEncoder().encode(`[${corpus('osv/go-vulndb/GO-2022-0969.json').toString('utf8')},${corpus('osv/osv-schema-testdata/CVE-2023-41045.json').toString('utf8')}]`),
      ],
      200,
      0x05f,
    ),
  html: () =>
    mutants(
      [corpus('html/openssl-secadv-txt/20220315.txt'), corpus('html/openssl-secadv-txt/20141015.txt'), corpus('html/msrc-bulletin/Bulletin-2017-Jan.html').subarray(0, 12_000)].map(
        (b) => new Uint8Array(b),
      ),
      200,
      0x417,
    ),
  advance: () =>
    mutants(
      [
        corpus('advance/nodejs/december-2025-security-releases.3-2025-12-17.postponed-again.md'),
        corpus('advance/nodejs/january-2025-security-releases.2-2025-01-21.final.md'),
        corpus('advance/nodejs/june-2026-security-releases.1-2026-06-10.announce.md'),
      ].map((b) => new Uint8Array(b)),
      200,
      0xad0,
    ),
  mbox: () => {
    const mails = ['mail/oss-security/2024-04-08-openssl-security-advisory.eml', 'mail/oss-security/2017-01-30-fw-dsa-3775-1-tcpdump.eml'].map((f) => new Uint8Array(corpus(f)));
    const archive = new TextEncoder().encode(mails.map((m) => `From x@example.org Mon Apr  8 13:59:33 2024\n${new TextDecoder().decode(m)}\n`).join('\n'));
    return mutants([...mails, archive], 200, 0x3b0);
  },
};

describe.each(Object.entries(parsers) as [DocumentFormat, Parser][])('fuzz %s parser', (format, parse) => {
  it('throws only ParseError on ~200 mutated and random documents, and returns well-formed advisories otherwise', async () => {
    const outcomes = { ok: 0, parseError: 0 };
    for (const [i, body] of inputs[format]().entries()) {
      const doc = { sourceId: 'fuzz', sourceKind: format, url: `fuzz:${i}`, body, fetchedAt: CORPUS_FETCHED_AT };
      let result: unknown;
      try {
        result = await parse(doc, { vendor: 'Fuzz' });
      } catch (err) {
        if (!(err instanceof ParseError)) {
          throw new Error(`input #${i} threw ${String(err)} instead of a ParseError`, { cause: err });
        }
        expect(err.format).toBe(format);
        expect(err.message).not.toBe('');
        outcomes.parseError++;
        continue;
      }
      expect(Array.isArray(result)).toBe(true);
      for (const a of result as { id: unknown; title: unknown; published: unknown }[]) {
        expect(typeof a.id).toBe('string');
        expect(typeof a.title).toBe('string');
        expect(new Date(a.published as string).toISOString()).toBe(a.published);
      }
      outcomes.ok++;
    }
    // The generator must exercise both paths, or it tests nothing.
    expect(outcomes.ok + outcomes.parseError).toBe(200);
    expect(outcomes.parseError).toBeGreaterThan(20);
    expect(outcomes.ok).toBeGreaterThan(0);
  });
});

// Property-based (fast-check, seeded so every run tries the same inputs, shrunk to the smallest
// failing one if it ever fails): arbitrary bytes, a real document with one JSON value replaced by
// an arbitrary one (type confusion reaches the adapters), a real document with a line replaced by
// arbitrary text. Whatever comes in, only an AppError (in practice a ParseError) may come out.

const FC_SEED = Number(process.env.SECWATCH_FUZZ_SEED ?? 0x5ecf00d);
/** Runs per property; SECWATCH_FUZZ_RUNS=2000 for a longer hunt (same seed, so a failure reproduces). */
const FC_RUNS = Number(process.env.SECWATCH_FUZZ_RUNS ?? 40);
const decode = (b: Uint8Array): string => new TextDecoder().decode(b);
const encode = (t: string): Uint8Array => new TextEncoder().encode(t);

/** One or more real documents per format (small ones, so a run stays fast). */
const seedDocs: Record<DocumentFormat, () => Uint8Array[]> = {
  kev: () => [kevSmall()],
  rss: () => [new Uint8Array(corpus('vendor-rss/debian/dsa-long.3-item-excerpt.rdf')), ...inlineFeeds],
  csaf: () => [new Uint8Array(corpus('csaf/gocsaf-simple-rolie-provider/white/avendor-advisory-0004.json')), new Uint8Array(corpus('csaf/cisa/IT/white/2024/va-24-254-02.json'))],
  cvrf: () => [new Uint8Array(corpus('msrc/cvrf-2007-Jun.xml')), cvrfSmall()],
  osv: () => [new Uint8Array(corpus('osv/github-advisory-database/GHSA-9v2f-6vcg-3hgv.json')), new Uint8Array(corpus('osv/osv-schema-testdata/PYSEC-2023-74.json'))],
  html: () => [new Uint8Array(corpus('html/openssl-secadv-txt/20220315.txt'))],
  advance: () => [new Uint8Array(corpus('advance/nodejs/january-2025-security-releases.2-2025-01-21.final.md'))],
  mbox: () => [new Uint8Array(corpus('mail/oss-security/2024-04-08-openssl-security-advisory.eml'))],
};
const JSON_FORMATS = new Set<DocumentFormat>(['kev', 'csaf', 'osv']);

type Path = readonly (string | number)[];
/** Every path into a JSON value (objects and arrays included), breadth-first, at most `max`. */
function jsonPaths(root: unknown, max = 5000): Path[] {
  const out: Path[] = [];
  const queue: { value: unknown; path: Path }[] = [{ value: root, path: [] }];
  for (let next = queue.shift(); next && out.length < max; next = queue.shift()) {
    out.push(next.path);
    const { value, path } = next;
    if (Array.isArray(value)) value.forEach((v, i) => queue.push({ value: v, path: [...path, i] }));
    else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) queue.push({ value: v, path: [...path, k] });
  }
  return out;
}
function replaceAt(root: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let at = copy;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
  at[path[path.length - 1]!] = value;
  return copy;
}

/** A real JSON document with one value (anywhere in it) swapped for an arbitrary JSON value. */
function jsonMutant(seeds: readonly Uint8Array[]): fc.Arbitrary<Uint8Array> {
  const docs = seeds.map((b) => JSON.parse(decode(b)) as unknown);
  const paths = docs.map((d) => jsonPaths(d));
  // Any JSON, or a string (most fields are strings: the swap then keeps the shape and tests the values).
  const value = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.string({ unit: 'grapheme', maxLength: 40 }));
  return fc.tuple(fc.nat(), fc.nat(), value).map(([d, p, v]) => {
    const i = d % docs.length;
    return encode(JSON.stringify(replaceAt(docs[i], paths[i]![p % paths[i]!.length]!, v)));
  });
}

/** A real text document with one line replaced by arbitrary text (markup-ish or any code points). */
function lineMutant(seeds: readonly Uint8Array[]): fc.Arbitrary<Uint8Array> {
  const docs = seeds.map((b) => decode(b).split('\n'));
  const noise = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 80 }),
    fc.array(fc.constantFrom('<', '>', '</', '/>', '&amp;', '&#0;', '&x;', '<![CDATA[', ']]>', '<!DOCTYPE x [', '"', "'", '=', '--', 'From ', 'Subject: ', 'Content-Type: multipart/mixed; boundary=b', '--b', 'CVE-2024-1', '## ', '\r', ' '), { maxLength: 20 }).map((t) => t.join('')),
  );
  return fc.tuple(fc.nat(), fc.nat(), noise).map(([d, l, text]) => {
    const lines = [...docs[d % docs.length]!];
    lines[l % lines.length] = text;
    return encode(lines.join('\n'));
  });
}

describe.each(Object.entries(parsers) as [DocumentFormat, Parser][])('fast-check %s parser', (format, parse) => {
  const seeds = seedDocs[format]();
  let parsed = 0;
  const onlyTypedErrors = async (body: Uint8Array): Promise<void> => {
    try {
      await parse({ sourceId: 'fc', sourceKind: format, url: 'fc:doc', body, fetchedAt: CORPUS_FETCHED_AT }, { vendor: 'Fuzz' });
      parsed++;
    } catch (err) {
      if (!(err instanceof AppError)) throw new Error(`${format} parser threw ${String(err)}, not an AppError`, { cause: err });
      expect(err.message).not.toBe('');
    }
  };
  const check = (arb: fc.Arbitrary<Uint8Array>, seedOffset: number): Promise<void> =>
    fc.assert(fc.asyncProperty(arb, onlyTypedErrors), { seed: FC_SEED + seedOffset, numRuns: FC_RUNS });

  it('arbitrary bytes: only typed errors escape', () => check(fc.uint8Array({ maxLength: 1500 }), 1));
  it('a real document with one part replaced: only typed errors escape, and some still parse (the adapters are reached)', async () => {
    parsed = 0;
    await check(JSON_FORMATS.has(format) ? jsonMutant(seeds) : lineMutant(seeds), 2);
    expect(parsed).toBeGreaterThan(0);
  });
  it('a real document cut anywhere: only typed errors escape', () =>
    check(fc.tuple(fc.nat(seeds.length - 1), fc.nat()).map(([d, at]) => seeds[d]!.slice(0, at % (seeds[d]!.length + 1))), 3));
});
