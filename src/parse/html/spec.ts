/**
 * How to read advisories out of HTML pages: CSS selectors (cheerio, css-select syntax) from the
 * source's config. A field is a selector string (its text), or an object naming an attribute to
 * read and a regular expression whose first group (or whole match) is kept.
 */
export type FieldSpec = string | { readonly selector: string; readonly attr?: string | undefined; readonly pattern?: string | undefined; readonly format?: string | undefined };

/** Products as table rows: one row per product, cells by selector relative to the row. */
export interface ProductRowsSpec {
  readonly rows: string;
  readonly name: FieldSpec;
  readonly kb?: FieldSpec | undefined;
  readonly severity?: FieldSpec | undefined;
  readonly fixed?: FieldSpec | undefined;
}

export interface HtmlFieldsSpec {
  readonly title: FieldSpec;
  readonly date: FieldSpec;
  readonly id?: FieldSpec | undefined;
  readonly severity?: FieldSpec | undefined;
  readonly cves?: FieldSpec | undefined;
  readonly summary?: FieldSpec | undefined;
  readonly products?: FieldSpec | ProductRowsSpec | undefined;
}

export interface HtmlPageSpec {
  /** One advisory per element matching this, spanning it and its following siblings up to the next match. Absent: the page is one advisory. */
  readonly section?: string;
  readonly fields?: HtmlFieldsSpec;
  /** Vendor the pages speak for; products are attributed to it. */
  readonly vendor?: string;
  /** Prefix of advisory ids (default: the source id). */
  readonly idPrefix?: string;
}
