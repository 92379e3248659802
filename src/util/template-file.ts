import { readFileSync } from 'node:fs';
import { AppError, describeError } from '../errors.js';

/** Read one template file; a missing or unreadable one is a TEMPLATE_FAILED naming it. */
export function readTemplate(dir: URL, name: string): string {
  try {
    return readFileSync(new URL(name, dir), 'utf8');
  } catch (err) {
    throw new AppError('TEMPLATE_FAILED', `cannot read template ${decodeURIComponent(new URL(name, dir).pathname)}: ${describeError(err)}`, { cause: err });
  }
}
