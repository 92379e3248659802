export { createHtmlSource, htmlPageSpec } from './html-source.js';
export { fetchLinkedPages, type PagesCursor } from './linked-pages.js';
