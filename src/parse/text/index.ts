// Advisory texts (mail bodies, plain-text web copies): the OpenSSL and Debian layouts, and a
// generic reading for anything else that names CVEs. Pure functions of text + metadata.
import type { ParsedAdvisory } from '../../model/advisory.js';
import { isDebianAdvisory, parseDebianAdvisory } from './debian-dsa.js';
import { parseGenericAdvisory } from './generic.js';
import type { TextMeta } from './meta.js';
import { isOpensslAdvisory, parseOpensslAdvisory } from './openssl.js';

export type { TextMeta } from './meta.js';
export { cleanSubject, cveIds } from './meta.js';
export { isOpensslAdvisory, parseOpensslAdvisory } from './openssl.js';
export { isDebianAdvisory, parseDebianAdvisory } from './debian-dsa.js';
export { parseGenericAdvisory, severityWord, cvssOf } from './generic.js';

/**
 * The advisories a text announces: OpenSSL (one per issue), Debian DSA/DLA (one), else the
 * generic reading (one when the text names a CVE, none otherwise). Throws ParseError when a text
 * claims a known layout but breaks it.
 */
export function parseAdvisoryText(text: string, meta: TextMeta): ParsedAdvisory[] {
  if (isOpensslAdvisory(text)) return parseOpensslAdvisory(text, meta);
  if (isDebianAdvisory(text)) return [parseDebianAdvisory(text, meta)];
  const generic = parseGenericAdvisory(text, meta);
  return generic ? [generic] : [];
}
