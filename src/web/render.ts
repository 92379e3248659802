// Pages from templates/web/*.hbs (Handlebars 4: `{{ }}` escapes; no template uses `{{{ }}}`).
// Every page template wraps itself in the `layout` partial block, so the layout never takes
// pre-rendered HTML. Templates are read and compiled once per process, on a private instance.
import Handlebars from 'handlebars';
import { AppError, describeError } from '../errors.js';
import { readTemplate } from '../util/template-file.js';
import { WEB } from './paths.js';

export const PAGES = ['deadlines', 'advisories', 'advisory', 'advance-notices', 'sources', 'subscriptions', 'subscriber', 'login', 'message'] as const;
export type PageName = (typeof PAGES)[number];

const DIR = new URL('../../templates/web/', import.meta.url);

/** What the layout shows around every page. */
export interface LayoutView {
  readonly title: string;
  /** Which nav entry is the current page ('' for none, e.g. the subscriber page). */
  readonly current: string;
  /** The admin is logged in: show the navigation and the log-out button. */
  readonly admin: boolean;
  /** The CSRF field value for every form on the page. */
  readonly csrf: string;
}

const NAV = [
  { key: 'deadlines', href: WEB.home, label: 'Deadlines' },
  { key: 'advisories', href: WEB.advisories, label: 'Advisories' },
  { key: 'advance', href: WEB.advance, label: 'Advance notices' },
  { key: 'sources', href: WEB.sources, label: 'Sources' },
  { key: 'subscriptions', href: WEB.subscriptions, label: 'Subscriptions' },
] as const;

type Template = (context: unknown) => string;
let compiled: Map<PageName, Template> | undefined;

function templates(): Map<PageName, Template> {
  if (compiled) return compiled;
  const hbs = Handlebars.create();
  hbs.registerPartial('layout', load('layout.hbs'));
  hbs.registerPartial('settings-form', load('settings-form.hbs'));
  // For "1 item" versus "2 items": the only logic templates need beyond #if and #each.
  hbs.registerHelper('isOne', (n: unknown) => n === 1);
  compiled = new Map(PAGES.map((name) => [name, hbs.compile(load(`${name}.hbs`)) as Template]));
  return compiled;
}

function load(name: string): string {
  return readTemplate(DIR, name);
}

/** A whole HTML page: the page's view at the root, the layout's under `layout`. */
export function renderPage(name: PageName, layout: LayoutView, view: object): string {
  const context = {
    ...view,
    layout: {
      ...layout,
      css: WEB.css,
      script: WEB.script,
      logout: WEB.logout,
      nav: NAV.map((n) => ({ href: n.href, label: n.label, current: n.key === layout.current })),
    },
  };
  try {
    return templates().get(name)!(context);
  } catch (err) {
    throw new AppError('TEMPLATE_FAILED', `template templates/web/${name}.hbs failed: ${describeError(err)}`, { cause: err });
  }
}

/** The stylesheet and the optional script, read once. */
let assets: { css: string; script: string } | undefined;
export function webAssets(): { css: string; script: string } {
  assets ??= { css: load('secwatch.css'), script: load('secwatch.js') };
  return assets;
}
