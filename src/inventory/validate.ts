// The checks every imported inventory entry passes, whatever its format (YAML, CSV, CycloneDX).
import { PackageURL } from 'packageurl-js';
import type { z } from 'zod';
import { parseCpe } from '../match/cpe-name.js';
import type { InventoryItem } from '../model/inventory.js';
import { inventoryItemSchema } from './schema.js';

/**
 * A version the matchers can order: starts with a letter or digit, holds at least one digit, and
 * has no spaces (e.g. "2.49.0", "CU14", "1:1.17.1-2+deb12u2", "v1.22.1"). "latest", "n/a" or
 * "2.4 beta" are not versions: a silent low-confidence match is worse than a row error.
 */
const VERSION = /^[A-Za-z0-9][A-Za-z0-9._:+~^-]*$/;
const MAX_VERSION = 128;

export function versionProblem(version: string): string | undefined {
  if (version.length > MAX_VERSION) return `version is longer than ${MAX_VERSION} characters`;
  if (!VERSION.test(version) || !/\d/.test(version)) return `"${version}" is not a version (letters, digits and . _ : + ~ ^ -, at least one digit)`;
  return undefined;
}

/** The purl's problem (packageurl-js follows the purl specification), or its version. */
export function readPurl(purl: string): { version?: string } | { problem: string } {
  try {
    const parsed = PackageURL.fromString(purl);
    return parsed.version ? { version: parsed.version } : {};
  } catch (err) {
    return { problem: `purl "${purl}": ${err instanceof Error ? err.message : String(err)}` };
  }
}

/** The shared item schema plus what only an import checks: versions, purls and CPEs that can be read. */
const importItemSchema = inventoryItemSchema.superRefine((item, ctx) => {
  if (item.version !== undefined) {
    const problem = versionProblem(item.version);
    if (problem) ctx.addIssue({ code: 'custom', path: ['version'], message: problem });
  }
  // A purl or CPE without its scheme already has the base schema's error; one message is enough.
  if (item.purl?.startsWith('pkg:')) {
    const purl = readPurl(item.purl);
    if ('problem' in purl) ctx.addIssue({ code: 'custom', path: ['purl'], message: purl.problem });
    else if (purl.version !== undefined && item.version !== undefined && purl.version !== item.version) {
      // Two versions for one thing: matching would have to guess which one is installed.
      ctx.addIssue({ code: 'custom', path: ['version'], message: `version "${item.version}" disagrees with the purl's version "${purl.version}"` });
    }
  }
  if (item.cpe?.startsWith('cpe:2.3:') && parseCpe(item.cpe) === undefined) {
    ctx.addIssue({ code: 'custom', path: ['cpe'], message: `cpe "${item.cpe}" is not a CPE 2.3 name with a vendor and a product` });
  }
});

export type ItemCheck = { readonly item: InventoryItem } | { readonly problem: string };

/**
 * Validate one candidate entry and put it in `collection`. An entry naming another collection is
 * refused: one import replaces exactly one collection (README "Inventory import").
 */
export function checkItem(candidate: unknown, collection: string): ItemCheck {
  const name = (candidate as { name?: unknown } | null)?.name;
  if (typeof candidate === 'object' && candidate !== null && (name === undefined || name === '')) return { problem: 'name: required (unique within the collection)' };
  const parsed = importItemSchema.safeParse(candidate);
  if (!parsed.success) return { problem: describeIssues(parsed.error) };
  const { collection: own, ...rest } = parsed.data;
  if (own !== undefined && own !== collection) {
    return { problem: `collection "${own}" is not the collection this import replaces ("${collection}"); use --collection or split the file` };
  }
  // zod leaves absent optional keys out, but exactOptionalPropertyTypes cannot see that.
  return { item: { ...rest, collection } as InventoryItem };
}

/** "instances: expected a whole number; purl: …" — every problem of the entry, field first. */
function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const field = issue.path.map(String).join('.');
      return field ? `${field}: ${issue.message}` : issue.message;
    })
    .join('; ');
}
