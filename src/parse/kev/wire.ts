// CISA KEV catalog as published: https://www.cisa.gov/known-exploited-vulnerabilities-catalog
// JSON Schema: https://github.com/cisagov/kev-data/blob/develop/known_exploited_vulnerabilities_schema.json
import { z } from 'zod';

/**
 * One catalog entry. Strict where the adapter depends on the value (CVE id, the two dates), lenient
 * where the schema's rule would reject a whole catalog over a field we only carry (cwes, notes).
 */
export const kevVulnerabilitySchema = z.object({
  cveID: z.string().regex(/^CVE-[0-9]{4}-[0-9]{4,19}$/, 'expected CVE-YYYY-NNNN'),
  vendorProject: z.string(),
  product: z.string(),
  vulnerabilityName: z.string(),
  dateAdded: z.iso.date(),
  shortDescription: z.string(),
  requiredAction: z.string(),
  dueDate: z.iso.date(),
  // 'Known' | 'Unknown' in practice; the schema says only "string", so no enum here.
  knownRansomwareCampaignUse: z.string().optional(),
  notes: z.string().optional(),
  // The schema's pattern is ^CWE-[0-9]+$; not enforced, NVD-style "NVD-CWE-noinfo" must not sink a catalog.
  cwes: z.array(z.string()).optional(),
});

/** The whole catalog document; unknown top-level keys (e.g. "title") are accepted and dropped. */
export const kevCatalogSchema = z.object({
  catalogVersion: z.string(),
  dateReleased: z.string(),
  count: z.number().int(),
  vulnerabilities: z.array(kevVulnerabilitySchema),
});

/** One entry as CISA publishes it (camelCase keys kept, e.g. `cveID`). */
export type KevVulnerability = z.infer<typeof kevVulnerabilitySchema>;
/** The catalog after validation; `count` is CISA's claim, not checked against the array. */
export type KevCatalog = z.infer<typeof kevCatalogSchema>;
