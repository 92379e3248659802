// Small HTML pages for people (confirm, unsubscribe). Every interpolated value is escaped.

import { escapeHtml } from '../util/html.js';

export { escapeHtml };

/** A value already made safe (by `html` itself): not escaped again when nested. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** Tagged template: `html\`<p>${name}</p>\`` escapes `name`; arrays and SafeHtml nest. */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  const part = (v: unknown): string =>
    v instanceof SafeHtml ? v.value : Array.isArray(v) ? v.map(part).join('') : escapeHtml(typeof v === 'string' ? v : v === undefined || v === null ? '' : JSON.stringify(v));
  return new SafeHtml(strings.reduce((out, s, i) => out + s + (i < values.length ? part(values[i]) : ''), ''));
}

/** A whole page: no script, no external resources; `noindex` so confirm/unsubscribe URLs stay out of search engines. */
export function page(title: string, body: SafeHtml): string {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow"><meta name="referrer" content="no-referrer"><title>${title}</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;line-height:1.5}button{font-size:1rem;padding:.5rem 1rem}</style>
</head><body><h1>${title}</h1>${body}</body></html>
`.value;
}

/** A page whose only action is a POST form: GETs (mail scanners prefetch links) never change anything. */
export function actionPage(title: string, text: string, action: string, button: string): string {
  return page(title, html`<p>${text}</p><form method="post" action="${action}"><input type="hidden" name="confirm" value="1"><button type="submit">${button}</button></form>`);
}

export const HTML_CONTENT_TYPE = 'text/html; charset=utf-8';
