// The text and HTML templates of one kind of email (templates/email/<base>.{txt,html}.hbs), read and
// compiled once per process on a private Handlebars instance so nothing global is touched.
import Handlebars from 'handlebars';
import { readTemplate } from '../util/template-file.js';

export interface EmailTemplates<V> {
  readonly text: (view: V) => string;
  readonly html: (view: V) => string;
}

const DIR = new URL('../../templates/email/', import.meta.url);

/** A lazy loader: the files are read on first use, so a process that sends no email never reads them. */
export function emailTemplates<V>(base: string): () => EmailTemplates<V> {
  let compiled: EmailTemplates<V> | undefined;
  return () => {
    if (compiled) return compiled;
    const hbs = Handlebars.create();
    compiled = {
      // Plain text must not be HTML-escaped; it is never put into markup.
      text: hbs.compile<V>(readTemplate(DIR, `${base}.txt.hbs`), { strict: true, noEscape: true }),
      html: hbs.compile<V>(readTemplate(DIR, `${base}.html.hbs`), { strict: true }),
    };
    return compiled;
  };
}
