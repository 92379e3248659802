// CSAF 2.0 (https://docs.oasis-open.org/csaf/csaf/v2.0/os/csaf-v2.0-os.html) §3.2: only the parts
// secwatch reads, loosely (unknown keys pass), so a provider's extensions never break parsing.
import { z } from 'zod';

const note = z.looseObject({ category: z.string(), text: z.string(), title: z.string().optional() });
const reference = z.looseObject({ category: z.string().optional(), url: z.string(), summary: z.string().optional() });

const cvssV3 = z.looseObject({ version: z.string(), baseScore: z.number(), vectorString: z.string().optional() });
const cvssV2 = z.looseObject({ version: z.string().optional(), baseScore: z.number(), vectorString: z.string().optional() });

const helper = z.looseObject({ cpe: z.string().optional(), purl: z.string().optional() });
const fullProductName = z.looseObject({ name: z.string(), product_id: z.string(), product_identification_helper: helper.optional() });

/** §3.1.2 branches: a tree whose leaves are products; categories say what each level names. */
export interface CsafBranch {
  readonly category: string;
  readonly name: string;
  readonly product?: z.infer<typeof fullProductName> | undefined;
  readonly branches?: readonly CsafBranch[] | undefined;
}
const branch: z.ZodType<CsafBranch> = z.lazy(() =>
  z.looseObject({ category: z.string(), name: z.string(), product: fullProductName.optional(), branches: z.array(branch).optional() }),
);

const productStatus = z.record(z.string(), z.array(z.string()));

export const csafDocumentSchema = z.looseObject({
  document: z.looseObject({
    category: z.string(),
    csaf_version: z.string(),
    title: z.string(),
    publisher: z.looseObject({ name: z.string(), namespace: z.string(), category: z.string().optional() }),
    tracking: z.looseObject({
      id: z.string().min(1),
      version: z.string(),
      current_release_date: z.string(),
      initial_release_date: z.string(),
      status: z.string().optional(),
    }),
    aggregate_severity: z.looseObject({ text: z.string(), namespace: z.string().optional() }).optional(),
    distribution: z.looseObject({ tlp: z.looseObject({ label: z.string() }).optional() }).optional(),
    notes: z.array(note).optional(),
    references: z.array(reference).optional(),
  }),
  product_tree: z
    .looseObject({
      branches: z.array(branch).optional(),
      full_product_names: z.array(fullProductName).optional(),
      relationships: z
        .array(z.looseObject({ product_reference: z.string(), relates_to_product_reference: z.string(), full_product_name: fullProductName }))
        .optional(),
    })
    .optional(),
  vulnerabilities: z
    .array(
      z.looseObject({
        cve: z.string().optional(),
        title: z.string().optional(),
        notes: z.array(note).optional(),
        product_status: productStatus.optional(),
        scores: z.array(z.looseObject({ cvss_v3: cvssV3.optional(), cvss_v2: cvssV2.optional() })).optional(),
        remediations: z
          .array(
            z.looseObject({ category: z.string(), details: z.string().optional(), url: z.string().optional(), product_ids: z.array(z.string()).optional() }),
          )
          .optional(),
        threats: z.array(z.looseObject({ category: z.string(), details: z.string() })).optional(),
      }),
    )
    .optional(),
});

export type CsafDocument = z.infer<typeof csafDocumentSchema>;
export type CsafVulnerability = NonNullable<CsafDocument['vulnerabilities']>[number];
export type CsafFullProductName = z.infer<typeof fullProductName>;
