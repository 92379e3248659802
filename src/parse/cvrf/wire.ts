// CVRF 1.1 as MSRC publishes it (https://api.msrc.microsoft.com/cvrf/v3.0/swagger/v3/swagger.json;
// schema: https://docs.oasis-open.org/csaf/csaf-cvrf/v1.2/ — MSRC serves the ICASI 1.1 namespaces).
// Only the parts secwatch reads; names follow the XML elements. Dates are as written (no zone = UTC).

/** The document's revision: its Number and Date ("2025-01-14T08:00:00"). */
export interface CvrfRevision {
  readonly number: string;
  readonly date: string;
  readonly description?: string;
}

/** One monthly document (or a Mariner release-notes document filed under an old month id). */
export interface CvrfDocument {
  readonly title: string;
  readonly tracking: {
    readonly id: string;
    readonly version?: string;
    readonly revisions: readonly CvrfRevision[];
    readonly initialReleaseDate?: string;
    readonly currentReleaseDate?: string;
  };
  /** ProductID → FullProductName (name and CPE); a product may be listed in branches and at the top. */
  readonly products: ReadonlyMap<string, { readonly name: string; readonly cpe?: string }>;
  readonly vulnerabilities: readonly CvrfVulnerability[];
}

/** A vuln:Threat: Type "Impact", "Severity" (the vendor rating) or "Exploit Status". */
export interface CvrfThreat {
  readonly type: string;
  readonly description?: string;
  readonly productIds: readonly string[];
}

export interface CvrfScoreSet {
  readonly baseScore?: string;
  readonly vector?: string;
  readonly productIds: readonly string[];
}

/** A vuln:Remediation: Type "Vendor Fix" carries the KB (Description), Supercedence and FixedBuild. */
export interface CvrfRemediation {
  readonly type: string;
  readonly description?: string;
  readonly url?: string;
  readonly supercedence?: string;
  readonly subType?: string;
  readonly fixedBuilds: readonly string[];
  readonly productIds: readonly string[];
}

export interface CvrfVulnerability {
  readonly ordinal?: string;
  readonly title?: string;
  /** CVE-YYYY-NNNN, or an advisory id such as ADV170001. */
  readonly cve?: string;
  readonly notes: readonly { readonly type?: string; readonly title?: string; readonly text: string }[];
  readonly statuses: readonly { readonly type: string; readonly productIds: readonly string[] }[];
  readonly threats: readonly CvrfThreat[];
  readonly scoreSets: readonly CvrfScoreSet[];
  readonly remediations: readonly CvrfRemediation[];
  readonly revisions: readonly CvrfRevision[];
}
