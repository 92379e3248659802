// OSV schema 1.x: https://ossf.github.io/osv-schema/ (JSON Schema: corpus osv/schema/osv-schema.json).
import { z } from 'zod';

/** One range event: the schema says exactly one of these keys; extra keys are tolerated and dropped. */
const eventSchema = z.object({
  introduced: z.string().optional(),
  fixed: z.string().optional(),
  last_affected: z.string().optional(),
  limit: z.string().optional(),
});

const rangeSchema = z.object({
  type: z.string(),
  repo: z.string().optional(),
  events: z.array(eventSchema),
});

const affectedSchema = z.object({
  package: z
    .object({
      ecosystem: z.string(),
      name: z.string(),
      purl: z.string().optional(),
    })
    .optional(),
  severity: z.array(z.object({ type: z.string(), score: z.string() })).optional(),
  ranges: z.array(rangeSchema).optional(),
  versions: z.array(z.string()).optional(),
  ecosystem_specific: z.unknown().optional(),
  database_specific: z.unknown().optional(),
});

/**
 * One OSV record. Strict where the adapter depends on it (id, modified, the shapes of affected and
 * ranges); `database_specific` is free-form by design, only GHSA's `severity` word is read from it.
 */
export const osvRecordSchema = z.object({
  schema_version: z.string().optional(),
  id: z.string().min(1),
  modified: z.string(),
  published: z.string().optional(),
  withdrawn: z.string().optional(),
  aliases: z.array(z.string()).optional(),
  related: z.array(z.string()).optional(),
  summary: z.string().optional(),
  details: z.string().optional(),
  severity: z.array(z.object({ type: z.string(), score: z.string() })).optional(),
  affected: z.array(affectedSchema).optional(),
  references: z.array(z.object({ type: z.string(), url: z.string() })).optional(),
  database_specific: z.record(z.string(), z.unknown()).optional(),
});

/** An OSV record as published (snake_case keys kept). */
export type OsvRecord = z.infer<typeof osvRecordSchema>;
export type OsvAffected = z.infer<typeof affectedSchema>;
export type OsvWireRange = z.infer<typeof rangeSchema>;
