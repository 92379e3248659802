// OpenSSL "Forthcoming OpenSSL Releases" pre-notifications (openssl-announce, https://openssl-library.org/policies/general/security-policy/):
// "…announce the forthcoming release of OpenSSL versions 3.1.1, 3.0.9 … made available on Tuesday
// 30th May 2023 … The highest severity issue fixed in each of these releases is Moderate".
import { ParseError } from '../../errors.js';
import type { ParsedAdvisory } from '../../model/advisory.js';
import type { RawDocument } from '../../model/raw-document.js';
import { severityFromVendorWord } from '../../normalize/index.js';
import { firstDate } from './dates.js';

const FORMAT = 'advance';
const ANNOUNCE = /announce\s+the\s+forthcoming\s+releases?\s+of\s+OpenSSL\s+versions?\s+([\s\S]*?)\.\s*(?:\n|$)/i;

/** True for the body of an OpenSSL forthcoming-release mail (clearsigned or not). */
export function isOpensslForthcoming(text: string): boolean {
  return ANNOUNCE.test(text);
}

/**
 * One advance notice per mail. Its id is made from the announced versions, so a later mail that
 * moves the date for the same versions is a new revision of the same notice.
 */
export function parseOpensslForthcoming(doc: RawDocument, text: string, sent: string | undefined): ParsedAdvisory[] {
  const body = unwrapClearsigned(text);
  const m = ANNOUNCE.exec(body);
  if (!m) throw new ParseError(FORMAT, 'not an OpenSSL forthcoming-release announcement');
  const versions = [...m[1]!.matchAll(/\b(\d+\.\d+\.\d+[a-z]*)\b/g)].map((v) => v[1]!);
  if (versions.length === 0) throw new ParseError(FORMAT, 'OpenSSL forthcoming release: no version numbers', { where: m[0] });
  const after = body.slice(body.search(/made\s+available\s+on/i));
  const date = /made\s+available\s+on/i.test(body) ? firstDate(after.replace(/\s+/g, ' '), sent) : undefined;
  if (!date) throw new ParseError(FORMAT, 'OpenSSL forthcoming release: no "made available on <date>"');
  const word = /highest\s+severity\s+(?:issue\s+)?fixed\s+in\s+(?:each\s+of\s+)?(?:this|these)\s+releases?\s+is\s+(critical|high|moderate|medium|low)/i.exec(body)?.[1];
  const published = sent ?? `${date}T00:00:00.000Z`;
  return [
    {
      id: `openssl:forthcoming:${versions.join(',')}`,
      kind: 'advance-notice',
      source: { kind: 'advance', id: doc.sourceId },
      title: `Forthcoming OpenSSL release${versions.length > 1 ? 's' : ''} ${versions.join(', ')}`,
      url: doc.url,
      summary: `OpenSSL ${versions.join(', ')} to be released on ${date}${word ? `; highest severity fixed: ${word.toUpperCase()}` : ''}.`,
      published,
      modified: published,
      ...(word ? { vendorSeverity: word } : {}),
      cvss: [],
      cves: [],
      aliases: [],
      exploited: {},
      // "OpenSSL" over every line for the matchers, then one entry per line (a line added is a new product).
      products: [
        { vendor: 'OpenSSL', product: 'OpenSSL', ranges: versions.map(rangeOf), fixed: versions },
        ...versions.map((v) => ({ vendor: 'OpenSSL', product: `OpenSSL ${lineOf(v)}`, ranges: [rangeOf(v)], fixed: [v], ...(word ? { severity: word } : {}) })),
      ],
      remediation: { fixedVersions: versions },
      plannedRelease: { date, maxSeverity: severityFromVendorWord(word) ?? 'none' },
      signature: { status: 'not-checked' },
    },
  ];
}

/** The versions of a line the announced release fixes: "3.0.9" → ">=3.0.0, <3.0.9", "1.1.1u" → ">=1.1.1, <1.1.1u". */
function rangeOf(version: string): string {
  const line = lineOf(version);
  return `>=${line.split('.').length === 2 ? `${line}.0` : line}, <${version}`;
}

/** "3.0.9" → "3.0", "1.1.1u" → "1.1.1" (OpenSSL's release lines before 3.0 had three numbers). */
function lineOf(version: string): string {
  const [major, minor, patch] = version.replace(/[a-z]+$/, '').split('.');
  return Number(major) >= 3 ? `${major}.${minor}` : `${major}.${minor}.${patch}`;
}

/** The signed text of an RFC 4880 §7 cleartext signature (dash-escaping undone); other text as is. */
function unwrapClearsigned(text: string): string {
  const m = /-----BEGIN PGP SIGNED MESSAGE-----\r?\n(?:[^\r\n]+\r?\n)*\r?\n([\s\S]*?)\r?\n-----BEGIN PGP SIGNATURE-----/.exec(text);
  return m ? m[1]!.replace(/^- /gm, '') : text;
}
