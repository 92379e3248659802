// upsertAdvisories for PostgreSQL: one transaction, a handful of statements whatever the batch size.
import type { PoolClient } from 'pg';
import type { Advisory } from '../../model/advisory.js';
import { contentHash, materialHash } from '../../model/fingerprint.js';
import { classifyUpsert, type CurrentRow as BaseCurrentRow } from '../rows.js';
import type { UpsertOutcome } from '../store.js';
import { indexCvesTx } from './cve-index.js';
import { indexSearchWordsTx } from './search-index.js';

interface CurrentRow extends BaseCurrentRow {
  id: string;
}

interface AdvisoryWrite {
  id: string;
  sourceId: string | null;
  revision: number;
  material: string;
  content: string;
  json: string;
  published: string;
  modified: string;
  /** For the CVE index (advisory_cves), not a column of advisories. */
  cves: readonly string[];
}

/**
 * Compare each advisory with what is stored and write the changes, inside the caller's transaction.
 * Advisory locks on the ids (taken in hash order, so never a deadlock) serialise two workers
 * ingesting the same advisory: the second sees the first's write and says `unchanged`, not `new`.
 */
export async function upsertAdvisoriesTx(client: PoolClient, advisories: readonly Advisory[], seenAt: string): Promise<UpsertOutcome[]> {
  if (advisories.length === 0) return [];
  // Everything that can throw on bad input runs before the first write.
  const prepared = advisories.map((input) => ({ input, material: materialHash(input), content: contentHash(input) }));
  const ids = [...new Set(advisories.map((a) => a.id))];
  await client.query(
    'SELECT pg_advisory_xact_lock(h) FROM (SELECT DISTINCT hashtext(id) AS h FROM unnest($1::text[]) AS id ORDER BY h) AS locks',
    [ids],
  );
  const { rows } = await client.query<CurrentRow>('SELECT id, revision, material_hash, content_hash, json FROM advisories WHERE id = ANY($1::text[])', [ids]);
  const current = new Map(rows.map((r) => [r.id, r]));
  // Sequential on purpose: the same id twice in one batch sees its own first write.
  const advisoryWrites = new Map<string, AdvisoryWrite>();
  const revisionWrites = new Map<string, { id: string; revision: number; json: string }>();
  const written = new Map<string, Advisory>();
  const outcomes = prepared.map(({ input, material, content }): UpsertOutcome => {
    const cur = current.get(input.id);
    const { status, revision, changes } = classifyUpsert(cur, input, material, content);
    const advisory: Advisory = { ...input, revision };
    if (status === 'unchanged') return { id: input.id, status, advisory };
    const json = JSON.stringify(advisory);
    current.set(input.id, { id: input.id, revision, material_hash: material, content_hash: content, json });
    const { id, published, modified } = advisory;
    written.set(id, advisory);
    advisoryWrites.set(id, { id, sourceId: advisory.source.id ?? null, revision, material, content, json, published, modified, cves: advisory.cves });
    // 'updated' rewrites the current revision's history row: history keeps one row per revision.
    revisionWrites.set(`${id}\u0000${revision}`, { id, revision, json });
    return { id: input.id, status, advisory, ...(changes ? { changes } : {}) };
  });
  if (advisoryWrites.size > 0) await writeAdvisories(client, [...advisoryWrites.values()], seenAt);
  await indexCvesTx(client, [...advisoryWrites.values()]);
  await indexSearchWordsTx(client, [...written.values()]);
  if (revisionWrites.size > 0) {
    const revs = [...revisionWrites.values()];
    await client.query(
      `INSERT INTO advisory_revisions (advisory_id, revision, json, recorded_at)
       SELECT id, revision, json, $4 FROM unnest($1::text[], $2::int[], $3::text[]) AS r (id, revision, json)
       ON CONFLICT (advisory_id, revision) DO UPDATE SET json = excluded.json`,
      [revs.map((r) => r.id), revs.map((r) => r.revision), revs.map((r) => r.json), seenAt],
    );
  }
  return outcomes;
}

async function writeAdvisories(client: PoolClient, writes: readonly AdvisoryWrite[], seenAt: string): Promise<void> {
  const col = <K extends keyof AdvisoryWrite>(k: K): AdvisoryWrite[K][] => writes.map((w) => w[k]);
  await client.query(
    `INSERT INTO advisories (id, source_id, revision, material_hash, content_hash, json, first_seen, updated_at, published, modified)
     SELECT id, source_id, revision, material, content, json, $9, $9, published, modified
     FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
       AS w (id, source_id, revision, material, content, json, published, modified)
     ON CONFLICT (id) DO UPDATE SET source_id = excluded.source_id, revision = excluded.revision,
       material_hash = excluded.material_hash, content_hash = excluded.content_hash, json = excluded.json,
       updated_at = excluded.updated_at, published = excluded.published, modified = excluded.modified`,
    [col('id'), col('sourceId'), col('revision'), col('material'), col('content'), col('json'), col('published'), col('modified'), seenAt],
  );
}
