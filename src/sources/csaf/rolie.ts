// ROLIE (RFC 8322) JSON feeds as CSAF 2.0 §7.1.21 uses them.
import { z } from 'zod';
import { ParseError } from '../../errors.js';
import { resolveProviderUrl } from './provider-metadata.js';

const link = z.looseObject({ href: z.string(), rel: z.string().optional(), ref: z.string().optional() });
const feedSchema = z.looseObject({
  feed: z.looseObject({
    entry: z
      .array(
        z.looseObject({
          id: z.string().optional(),
          updated: z.string().optional(),
          link: z.array(link).optional(),
          content: z.looseObject({ src: z.string().optional() }).optional(),
        }),
      )
      .optional(),
  }),
});

/** One document a listing names, with its companions if the listing links them. */
export interface ListedDocument {
  readonly url: string;
  /** When the provider last changed it (ROLIE `updated`, changes.csv); '' when the listing does not say. */
  readonly updated: string;
  readonly signatureUrl?: string;
  readonly hashUrls?: readonly string[];
}

/**
 * Entries of a ROLIE feed. The document is the `self` link (else content.src); `signature` and
 * `hash` links name companions. CISA writes `ref` where RFC 8322 says `rel`: both are read.
 */
export function readRolieFeed(body: Uint8Array, feedUrl: string, providerUrl: string): ListedDocument[] {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8').decode(body));
  } catch (err) {
    throw new ParseError('csaf', `ROLIE feed ${feedUrl} is not valid JSON: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  const result = feedSchema.safeParse(json);
  if (!result.success) throw new ParseError('csaf', `${feedUrl}: not a ROLIE feed: ${result.error.issues[0]?.message ?? 'invalid'}`);
  const at = (u: string): string => resolveProviderUrl(u, feedUrl, providerUrl);
  return (result.data.feed.entry ?? []).flatMap((e): ListedDocument[] => {
    const links = (e.link ?? []).map((l) => ({ rel: (l.rel ?? l.ref ?? '').toLowerCase(), href: at(l.href) }));
    const self = links.find((l) => l.rel === 'self')?.href ?? (e.content?.src ? at(e.content.src) : undefined);
    if (self === undefined) return [];
    const signature = links.find((l) => l.rel === 'signature')?.href;
    const hashes = links.filter((l) => l.rel === 'hash').map((l) => l.href);
    return [{ url: self, updated: normalizeUpdated(e.updated ?? ''), ...(signature ? { signatureUrl: signature } : {}), ...(hashes.length > 0 ? { hashUrls: hashes } : {}) }];
  });
}

/**
 * One spelling per instant, so a feed re-published with another timestamp format (CISA dropped
 * and re-added the "Z") does not make every document look changed. No zone means UTC.
 */
export function normalizeUpdated(value: string): string {
  const v = value.trim();
  const zoned = /T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/.test(v) ? `${v}Z` : v;
  const t = Date.parse(zoned);
  return Number.isNaN(t) ? v : new Date(t).toISOString();
}
