export { parseHtml, parseHtmlSync, isHtml } from './to-advisory.js';
export { advisoryLinks } from './links.js';
export type { FieldSpec, HtmlFieldsSpec, HtmlPageSpec, ProductRowsSpec } from './spec.js';
