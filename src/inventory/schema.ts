import { z } from 'zod';

/** One inventory entry as an operator writes it in YAML (DESIGN.md "Matching"). */
export const inventoryItemSchema = z
  .object({
    name: z.string().min(1),
    vendor: z.string().min(1).optional(),
    product: z.string().min(1).optional(),
    version: z.union([z.string(), z.number()]).transform(String).optional(),
    cpe: z.string().startsWith('cpe:2.3:').optional(),
    purl: z.string().startsWith('pkg:').optional(),
    instances: z.number().int().min(0).default(1),
    location: z.string().optional(),
    collection: z.string().min(1).optional(),
    exposed: z.boolean().optional(),
    owner: z.string().optional(),
    testsFirst: z.boolean().optional(),
  })
  .strict();

export const inventoryFileSchema = z
  .object({
    /** Default collection for items that name none. */
    collection: z.string().min(1).optional(),
    items: z.array(inventoryItemSchema),
  })
  .strict();
