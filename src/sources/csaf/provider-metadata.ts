// CSAF 2.0 §7.1.20 provider-metadata.json: https://docs.oasis-open.org/csaf/csaf/v2.0/os/csaf-v2.0-os.html#7120-requirement-20-provider-metadatajson
import { z } from 'zod';
import { ParseError } from '../../errors.js';

const metadataSchema = z.looseObject({
  canonical_url: z.string().optional(),
  publisher: z.looseObject({ name: z.string().optional(), namespace: z.string().optional() }).optional(),
  public_openpgp_keys: z.array(z.looseObject({ fingerprint: z.string().optional(), url: z.string() })).optional(),
  distributions: z
    .array(
      z.looseObject({
        directory_url: z.string().optional(),
        rolie: z.looseObject({ feeds: z.array(z.looseObject({ url: z.string(), tlp_label: z.string().optional() })) }).optional(),
      }),
    )
    .optional(),
});

/** What a provider announces: where its documents are listed and which keys sign them. */
export interface ProviderMetadata {
  readonly rolieFeeds: readonly string[];
  readonly directories: readonly string[];
  readonly keys: readonly { readonly url: string; readonly fingerprint?: string }[];
}

/**
 * Read provider-metadata.json fetched from `url`. URLs are resolved against it; a Go-template
 * `{{.URL}}` placeholder (the gocsaf test provider publishes its template) stands for the
 * folder the metadata was served from.
 */
export function readProviderMetadata(body: Uint8Array, url: string): ProviderMetadata {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8').decode(body));
  } catch (err) {
    throw new ParseError('csaf', `${url}: provider-metadata.json is not valid JSON: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  const result = metadataSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new ParseError('csaf', `${url}: not a CSAF provider-metadata.json: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  const m = result.data;
  const at = (u: string): string => resolveProviderUrl(u, url);
  return {
    rolieFeeds: (m.distributions ?? []).flatMap((d) => (d.rolie?.feeds ?? []).map((f) => at(f.url))),
    directories: (m.distributions ?? []).flatMap((d) => (d.directory_url ? [at(d.directory_url)] : [])),
    keys: (m.public_openpgp_keys ?? []).map((k) => ({ url: at(k.url), ...(k.fingerprint ? { fingerprint: k.fingerprint } : {}) })),
  };
}

/** A URL from a provider's files: template placeholders filled in, relative ones made absolute. */
export function resolveProviderUrl(value: string, base: string, providerBase = base): string {
  const folder = new URL('.', providerBase).href.replace(/\/$/, '');
  return new URL(value.trim().replace(/\{\{\s*\.URL\s*\}\}/g, folder), base).href;
}
