// Vendor product names carry qualifiers that do not name a different product: Microsoft's CVRF
// says "Windows Server 2012 R2 (Server Core installation)", "Windows 10 Version 1809 for
// x64-based Systems", "Windows Server 2008 for 32-bit Systems Service Pack 2", "Microsoft
// Excel 2016 (64-bit edition)", ".NET 8.0 installed on Linux". The inventory says "Windows Server
// 2012 R2". Qualifiers are split off before names are compared, and the reason names them.

const PATTERNS: readonly RegExp[] = [
  /\s*\(([^()]*)\)/g, // "(Server Core installation)", "(32-bit edition)"
  /\s+for\s+((?:x64|x86|32-bit|64-bit|arm64|arm|itanium)[- ]based\s+systems)/gi,
  /\s+for\s+((?:32|64)-bit\s+(?:systems|editions?))/gi,
  /\s+(service\s+pack\s+\d+)/gi,
  /\s+(cumulative\s+update\s+\d+)/gi, // Exchange "Cumulative Update 14": a version, not a product
  /\s+((?:installed\s+)?on\s+(?:windows|linux|mac\s?os|macos|android|ios)\b.*)$/gi,
];

export interface QualifiedName {
  /** The name without its qualifiers ("Windows Server 2012 R2"). */
  readonly base: string;
  /** What was split off, in the publisher's words ("Server Core installation"). */
  readonly qualifiers: readonly string[];
}

/** Splits installation/architecture/service-pack/platform qualifiers off a product name. */
export function splitQualifiers(name: string): QualifiedName {
  let base = name;
  const qualifiers: string[] = [];
  for (const pattern of PATTERNS) {
    base = base.replace(pattern, (_whole, q: string) => {
      qualifiers.push(q.trim());
      return '';
    });
  }
  base = base.replace(/\s{2,}/g, ' ').replace(/[\s,]+$/, '').trim();
  // A name that is nothing but qualifiers stays as it was.
  return base === '' ? { base: name.trim(), qualifiers: [] } : { base, qualifiers };
}

/** A token that names a release rather than a product: "2012", "r2", "8", "sp1", "22h2", "v2". */
export const isReleaseToken = (token: string): boolean => /^(?:r\d+|sp\d+|v?\d[a-z0-9]*)$/.test(token);

/**
 * Whether a prefix match between two names is a false hit. When the shorter name ends in a
 * release ("Windows Server 2012", "Windows 10", "Office 2019") it names that release only:
 * - an advisory naming it never covers longer inventory names ("Windows 10" is version 1507 in
 *   MSRC's naming, not "Windows 10 Version 22H2");
 * - an inventory entry naming it is not hit by another release or platform of it ("2012" → "2012
 *   R2", "Office 2019" → "Office 2019 for Mac"), but is by an edition ("Windows 10" → "Windows 10
 *   Version 1607", at low confidence).
 * Names that end in a product word ("Exchange Server") cover their releases both ways.
 */
export function isFalsePrefixMatch(shorter: string, longer: string, advisoryIsShorter: boolean): boolean {
  const s = shorter.split(' ');
  const next = longer.split(' ')[s.length];
  if (next === undefined || !isReleaseToken(s.at(-1) ?? '')) return false;
  return advisoryIsShorter || isReleaseToken(next) || next === 'for' || next === 'on';
}
