import { z } from 'zod';
import { SEVERITIES } from '../model/severity.js';

// Config keys of the html and advance sources (README "Pages without a feed"), kept apart from
// schema.ts so that file stays a list of source kinds.

/** A regular expression given as a string; refused at load time when it does not compile. */
const regex = z.string().refine(
  (p) => {
    try {
      new RegExp(p);
      return true;
    } catch {
      return false;
    }
  },
  { message: 'is not a valid regular expression' },
);

/** A CSS selector (its text), or { selector, attr?, pattern?, format? }. */
const field = z.union([
  z.string().min(1),
  z.object({ selector: z.string().min(1), attr: z.string().optional(), pattern: regex.optional(), format: z.string().optional() }).strict(),
]);

const productRows = z.object({ rows: z.string().min(1), name: field, kb: field.optional(), severity: field.optional(), fixed: field.optional() }).strict();

/** Links on a list page to follow, and how many pages one poll may fetch at most. */
const listing = {
  /** Selector of the advisory links on the page at `url` (an `a[href]` or an element holding one); absent: `url` is the advisory page itself. */
  links: z.string().min(1).optional(),
  maxPages: z.number().int().min(1).max(1000).default(50),
};

/** html: pages without a feed. */
export const htmlSourceFields = {
  ...listing,
  /** One advisory per element matching this (it and its following siblings up to the next match). */
  section: z.string().min(1).optional(),
  vendor: z.string().optional(),
  idPrefix: z.string().regex(/^[A-Za-z0-9._-]+$/).optional(),
  /** The publisher's rating when its pages carry none. */
  defaultSeverity: z.enum(SEVERITIES).optional(),
  /** Selectors per field; plain-text pages (OpenSSL secadv .txt) need none. */
  fields: z
    .object({
      title: field,
      date: field,
      id: field.optional(),
      severity: field.optional(),
      cves: field.optional(),
      summary: field.optional(),
      products: z.union([field, productRows]).optional(),
    })
    .strict()
    .optional(),
};

/** advance: pre-announcements of security releases (a post, a mail, a file: folder of them, or a list page with `links`). */
export const advanceSourceFields = { ...listing };
