import { dirname } from 'node:path';
import { ParseError, describeError } from '../errors.js';
import type { SignatureInfo } from '../model/advisory.js';
import type { RawDocument } from '../model/raw-document.js';
import type { Source } from '../sources/source.js';
import type { UpsertOutcome } from '../store/store.js';
import { sha256Hex } from '../util/hash.js';
import { verifyForSource, verifySettings, type SourceVerifySettings } from '../verify/index.js';
import type { Deps } from './deps.js';
import { ingestDocument } from './ingest.js';

/** What became of a poll's documents: stored advisories, documents quarantined, documents that would not parse. */
export interface IngestResult {
  readonly outcomes: UpsertOutcome[];
  readonly quarantined: number;
  /** "source: url: cause" per document that would not parse; the others were still ingested. */
  readonly problems: string[];
}

/**
 * Stages verify → ingest for every document of one poll. A document failing its source's verify
 * policy is quarantined (stored, listed by `secwatch quarantine`, never alerted). A document that
 * does not parse is reported by name and the others still go through — unless none did, in which
 * case the poll fails with that error (its cursor is not advanced, so it is fetched again).
 */
export async function verifyAndIngest(deps: Deps, source: Source, docs: readonly RawDocument[]): Promise<IngestResult> {
  const settings = sourceVerifySettings(deps, source);
  const log = deps.log.child({ source: source.id });
  const outcomes: UpsertOutcome[] = [];
  const failures: ParseError[] = [];
  const problems: string[] = [];
  let quarantined = 0;
  for (const doc of docs) {
    const verdict = await verifyOne(deps, source, settings, doc);
    if (verdict === 'quarantined') {
      quarantined++;
      continue;
    }
    try {
      outcomes.push(...(await ingestDocument(deps, source, doc, verdict.signature)));
    } catch (err) {
      if (!(err instanceof ParseError)) throw err;
      failures.push(err);
      // Some parsers' errors already start with the document URL (html pages): say it once.
      const cause = describeError(err);
      problems.push(cause.startsWith(doc.url) ? `${source.id}: ${cause}` : `${source.id}: ${doc.url}: ${cause}`);
      log.error({ url: doc.url, err: describeError(err) }, 'document not parsed');
    }
  }
  if (failures.length > 0 && failures.length === docs.length - quarantined) {
    const first = failures[0]!;
    // Nothing of this poll went through: the poll failed. One document? Its error as it was.
    throw docs.length === 1 ? first : new ParseError(first.format, problems.join('; '), { cause: first });
  }
  return { outcomes, quarantined, problems };
}


/** The verify settings of one source (key files are relative to the config file). */
export function sourceVerifySettings(deps: Deps, source: Source): SourceVerifySettings {
  return verifySettings(source.config, deps.config.file === undefined ? '.' : dirname(deps.config.file));
}

/**
 * Stage verify for one document, the same under both runners: a document failing its source's
 * policy is quarantined (stored, listed by `secwatch quarantine`, never alerted); otherwise its
 * signature verdict goes on to ingest with it.
 */
export async function verifyOne(deps: Deps, source: Source, settings: SourceVerifySettings, doc: RawDocument): Promise<'quarantined' | { readonly signature: SignatureInfo }> {
  const { decision, result } = await verifyForSource(doc, settings, deps.clock.now());
  if (decision.action !== 'quarantine') return { signature: decision.signature };
  await deps.store.quarantineDocument({
    sourceId: source.id,
    url: doc.url,
    sha256: sha256Hex(doc.body),
    status: decision.signature.status,
    reason: decision.reason,
    checks: { hashes: result?.hashes ?? [], steps: result?.checks ?? [] },
    quarantinedAt: deps.clock.now(),
  });
  deps.log.child({ source: source.id }).warn({ url: doc.url, status: decision.signature.status, reason: decision.reason }, 'document quarantined');
  return 'quarantined';
}
