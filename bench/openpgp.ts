// OpenPGP verify: the clearsigned OpenSSL advisory mail and the gocsaf CSAF document with its
// detached signature (copies in test/fixtures/corpus/), through our verify stage
// (verifyForSource: pinned key file → keyring → mail or detached check → policy), beside
//  - Debian's gpgv, one process per message, with the same pinned keys as its keyring
//    (target: ours ≥ 3× faster per message), and
//  - a bare openpgp.js verify with the key parsed beforehand (target: ≤ 1.2×).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMessage, readCleartextMessage, readKeys, readSignature, verify, type Key } from 'openpgp';
import type { RawDocument } from '../src/model/raw-document.js';
import { verifyForSource, type SourceVerifySettings } from '../src/verify/index.js';
import type { Benchmark, BenchRow } from './lib/benchmark.js';
import { atMost, corpusFile, RUNS } from './lib/measure.js';
import { compareWallAndCpu } from './lib/wall-and-cpu.js';

const GPGV = process.env.BENCH_GPGV ?? '/usr/bin/gpgv';
/** Messages per timed sample: one verify takes about a millisecond, too short to time alone. */
const BATCH = 25;
/** More samples than the parser benchmarks: on a shared machine a verify's time swings by 2× from batch to batch. */
const SAMPLES = Math.max(RUNS, 21);

const corpusPath = (rel: string): string => fileURLToPath(new URL(`../test/fixtures/corpus/${rel}`, import.meta.url));

interface Case {
  readonly name: string;
  readonly doc: RawDocument;
  /** The pinned key: file and primary fingerprint, as a source's `keys:` setting names them. */
  readonly key: { readonly file: string; readonly fingerprint: string };
  /** gpgv's arguments after the keyring: the files to check. */
  readonly gpgvFiles: readonly string[];
  /** The same check with openpgp.js alone: no MIME walk, no keyring file, no policy. */
  bare(key: Key): () => Promise<void>;
}

const MAIL = 'mail/oss-security/2024-04-08-openssl-security-advisory.eml';
const CSAF = 'csaf/gocsaf-simple-rolie-provider/white/avendor-advisory-0004.json';

const cases: readonly Case[] = [
  {
    name: 'OpenSSL advisory mail, clearsigned (RSA 4096)',
    doc: { sourceId: 'bench', sourceKind: 'mbox', url: `bench:${MAIL}`, body: corpusFile(MAIL), fetchedAt: new Date(0) },
    key: { file: corpusPath('keys/openssl/openssl-release-signing-keys.debian-openssl-1.1.1w.asc'), fingerprint: 'A21FAB74B0088AA361152586B8EF1A6BA9DA2D5C' },
    gpgvFiles: [corpusPath(MAIL)],
    bare(key) {
      const text = corpusFile(MAIL).toString('utf8');
      const armored = text.slice(text.indexOf('-----BEGIN PGP SIGNED MESSAGE-----'));
      return async () => {
        const message = await readCleartextMessage({ cleartextMessage: armored });
        const { signatures } = await verify({ message, verificationKeys: [key] });
        await signatures[0]!.verified;
      };
    },
  },
  {
    name: 'CSAF avendor-advisory-0004.json + detached .asc (Ed25519)',
    doc: {
      sourceId: 'bench',
      sourceKind: 'csaf',
      url: `bench:${CSAF}`,
      body: corpusFile(CSAF),
      fetchedAt: new Date(0),
      companions: { signature: { url: `bench:${CSAF}.asc`, body: corpusFile(`${CSAF}.asc`) } },
    },
    key: { file: corpusPath('csaf/gocsaf-simple-rolie-provider/openpgp/pubkey.asc'), fingerprint: 'A8914CA2F11139C6A69A0018FB3CD9B15DE61596' },
    gpgvFiles: [corpusPath(`${CSAF}.asc`), corpusPath(CSAF)],
    bare(key) {
      const body = corpusFile(CSAF);
      const armoredSignature = corpusFile(`${CSAF}.asc`).toString('utf8');
      return async () => {
        const signature = await readSignature({ armoredSignature });
        const message = await createMessage({ binary: body });
        const { signatures } = await verify({ message, signature, verificationKeys: [key], format: 'binary' });
        await signatures[0]!.verified;
      };
    },
  },
];

/** The pinned key alone, as a binary OpenPGP keyring file gpgv can read (no gpg needed to build it). */
async function pinnedKey(c: Case): Promise<Key> {
  const keys = await readKeys({ armoredKeys: readFileSync(c.key.file, 'utf8') });
  const key = keys.find((k) => k.getFingerprint().toUpperCase() === c.key.fingerprint);
  if (!key) throw new Error(`${c.key.file}: pinned key ${c.key.fingerprint} not found`);
  return key;
}

function runGpgv(keyring: string, files: readonly string[]): void {
  const r = spawnSync(GPGV, ['--keyring', keyring, ...files], { stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0) throw new Error(`gpgv exited ${r.status}: ${r.stderr.toString().trim()}`);
}

async function times(n: number, fn: () => unknown): Promise<void> {
  for (let i = 0; i < n; i++) await fn();
}

const openpgpBench: Benchmark = {
  name: 'openpgp',
  describe: `signature checks per message: our verify stage vs gpgv (one process each) and bare openpgp.js; median of ${SAMPLES} batches of ${BATCH}`,
  async run() {
    const rows: BenchRow[] = [];
    const haveGpgv = existsSync(GPGV);
    const dir = mkdtempSync(join(tmpdir(), 'secwatch-bench-gpgv-'));
    try {
      for (const c of cases) {
        const settings: SourceVerifySettings = { policy: 'require', pinned: [c.key], baseDir: '/' };
        const ours = async (): Promise<void> => {
          const r = await verifyForSource(c.doc, settings);
          if (r.result?.verification.status !== 'verified') throw new Error(`${c.name}: ours says ${r.result?.verification.status}`);
        };
        await ours(); // a failing check must stop the benchmark, not be timed
        const key = await pinnedKey(c);
        const bare = c.bare(key);
        await bare();

        const vsBare = await compareWallAndCpu(
          () => times(BATCH, bare),
          () => times(BATCH, ours),
          SAMPLES,
        );
        const { baseline: b, ours: o } = vsBare;
        const bareRatio = o.wall.median / b.wall.median;

        if (haveGpgv) {
          const keyring = join(dir, `${c.key.fingerprint}.gpg`);
          writeFileSync(keyring, key.write());
          runGpgv(keyring, c.gpgvFiles);
          const t = await compareWallAndCpu(
            () => times(BATCH, () => runGpgv(keyring, c.gpgvFiles)),
            () => times(BATCH, ours),
            SAMPLES,
          );
          const ratio = t.ours.wall.median / t.baseline.wall.median;
          rows.push({
            case: `${c.name}: vs gpgv`,
            baseline: { name: 'gpgv, one process per message', value: t.baseline.wall.median / BATCH, unit: 'ms/msg' },
            ours: { value: t.ours.wall.median / BATCH, unit: 'ms/msg' },
            ratio,
            target: '≥ 3× faster (ratio ≤ 0.33×)',
            met: atMost(ratio, 1 / 3),
            notes: [`gpgv is ${(t.baseline.wall.median / t.ours.wall.median).toFixed(1)}× slower per message (wall), its process start included`],
          });
        } else {
          rows.push({
            case: `${c.name}: vs gpgv`,
            baseline: null,
            ours: { value: o.wall.median / BATCH, unit: 'ms/msg' },
            ratio: null,
            target: '≥ 3× faster (ratio ≤ 0.33×)',
            met: null,
            notes: [`${GPGV} not found (apt-get install gpgv): baseline skipped`],
          });
        }
        rows.push({
          case: `${c.name}: vs bare openpgp.js`,
          baseline: { name: 'openpgp.js verify, key pre-parsed', value: b.wall.median / BATCH, unit: 'ms/msg' },
          ours: { value: o.wall.median / BATCH, unit: 'ms/msg' },
          ratio: bareRatio,
          target: '≤ 1.2×',
          met: atMost(bareRatio, 1.2),
          notes: [
            `CPU per message: ours ${(o.cpu.median / BATCH).toFixed(2)} ms, bare ${(b.cpu.median / BATCH).toFixed(2)} ms (ratio ${(o.cpu.median / b.cpu.median).toFixed(2)}×)`,
            `fastest batches: ours ${(o.wall.min / BATCH).toFixed(2)} ms/msg, bare ${(b.wall.min / BATCH).toFixed(2)} ms/msg (ratio ${(o.wall.min / b.wall.min).toFixed(2)}×)`,
          ],
        });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    return rows;
  },
};

export default openpgpBench;
