import type { Severity, SeveritySource } from './severity.js';

/** Which kind of document an advisory came from (the source kinds of DESIGN.md). */
export type SourceKind = 'kev' | 'rss' | 'cvrf' | 'osv' | 'csaf' | 'html' | 'advance' | 'mbox';

export interface CvssScore {
  readonly version: string; // "2.0" | "3.0" | "3.1" | "4.0"
  readonly score: number;
  readonly vector?: string;
}

export interface KevListing {
  readonly dateAdded: string; // YYYY-MM-DD
  readonly dueDate: string; // YYYY-MM-DD
  readonly ransomware: boolean;
}

export interface Exploitation {
  readonly kev?: KevListing;
  readonly publiclyDisclosed?: boolean;
  readonly exploited?: boolean;
  /** CISA SSVC decision points as published per CVE (CISA CSAF notes "SSVCv2/E:P/A:N/T:T/…"). */
  readonly ssvc?: readonly SsvcPoints[];
}

/** SSVC v2 (CISA): Exploitation none/poc/active, Automatable yes/no, Technical Impact partial/total. */
export interface SsvcPoints {
  readonly cve?: string;
  readonly exploitation: 'none' | 'poc' | 'active';
  readonly automatable: boolean;
  readonly technicalImpact: 'partial' | 'total';
}

export interface AffectedProduct {
  readonly vendor?: string;
  readonly product: string;
  readonly cpe?: string;
  readonly purl?: string;
  readonly ranges?: readonly string[];
  readonly fixed?: readonly string[];
  readonly kb?: string;
  /** The vendor's rating for this product alone (MSRC rates per product; the advisory takes the highest). */
  readonly severity?: string;
  /** OSV ecosystem of a package ("Go", "PyPI", "npm"…): the matcher needs it to compare versions. */
  readonly ecosystem?: string;
  /** OSV ranges as published (type, repo, events), kept whole so the matcher applies OSV semantics. */
  readonly osvRanges?: readonly OsvRange[];
  /** Versions the record lists as affected, verbatim (OSV `versions`). */
  readonly versions?: readonly string[];
}

/** One OSV `affected[].ranges[]` entry: https://ossf.github.io/osv-schema/#affectedranges-field */
export interface OsvRange {
  readonly type: string; // "SEMVER" | "ECOSYSTEM" | "GIT"
  readonly repo?: string;
  readonly events: readonly OsvEvent[];
}

/** Exactly one key per event, as the schema says; kept in document order. */
export type OsvEvent =
  | { readonly introduced: string }
  | { readonly fixed: string }
  | { readonly last_affected: string }
  | { readonly limit: string };

export interface Remediation {
  readonly kbs?: readonly string[];
  readonly fixedVersions?: readonly string[];
  readonly supersedes?: readonly string[];
  readonly url?: string;
  /** What the publisher tells you to do, in its own words (KEV requiredAction, …). */
  readonly action?: string;
  /** Which update replaces which (MSRC Supercedence): each KB with the KBs or bulletins it supersedes. */
  readonly supersedence?: readonly { readonly kb: string; readonly replaces: readonly string[] }[];
}

export type SignatureStatus = 'verified' | 'expired-key' | 'bad' | 'unknown-key' | 'unsigned' | 'not-checked';

export interface SignatureInfo {
  readonly status: SignatureStatus;
  readonly signer?: string;
}

/**
 * What a parser reads out of a document, before we rate it. `vendorSeverity` is the publisher's
 * own word ("Critical", "HIGH", "medium"…), kept verbatim; normalize() turns it into ours.
 */
export interface ParsedAdvisory {
  readonly id: string;
  readonly kind: 'advisory' | 'advance-notice';
  readonly source: { readonly kind: SourceKind; readonly id?: string };
  readonly title: string;
  readonly url?: string;
  readonly summary?: string;
  readonly published: string; // ISO 8601
  readonly modified: string; // ISO 8601
  readonly vendorSeverity?: string;
  readonly cvss: readonly CvssScore[];
  readonly cves: readonly string[];
  readonly aliases: readonly string[];
  readonly exploited: Exploitation;
  readonly products: readonly AffectedProduct[];
  readonly remediation: Remediation;
  readonly plannedRelease?: { readonly date: string; readonly maxSeverity: Severity };
  /** Advance notices only: ids of the advisories the announced release published; present = the notice is closed. */
  readonly closedBy?: readonly string[];
  readonly signature: SignatureInfo;
  /** The publisher's own version of the document (CSAF tracking.version), kept verbatim. */
  readonly vendorRevision?: string;
  /** Traffic Light Protocol label the publisher set (CSAF distribution.tlp.label). */
  readonly tlp?: string;
}

/**
 * The normalised, rated item of DESIGN.md: what `secwatch parse` prints one per line, what the
 * store keeps and what feeds and alerts are made from. `revision` rises on material change only.
 */
export interface Advisory extends Omit<ParsedAdvisory, 'vendorSeverity'> {
  readonly revision: number;
  readonly severity: Severity;
  readonly severitySource: SeveritySource;
}
