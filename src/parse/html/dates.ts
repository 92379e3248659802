import { firstDate } from '../advance/dates.js';

/**
 * A page's date as ISO 8601. With `format` (tokens YYYY, MM, M, DD, D; e.g. "DD/MM/YYYY" for the
 * MSRC bulletin pages' "10/01/2017") the order is the operator's; else ISO, then English dates.
 */
export function pageDate(value: string, format: string | undefined): string | undefined {
  if (format) {
    const order: string[] = [];
    const re = new RegExp(
      format.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/YYYY|MM|M|DD|D/g, (t) => {
        order.push(t[0]!);
        return t === 'YYYY' ? '(\\d{4})' : '(\\d{1,2})';
      }),
    );
    const m = re.exec(value);
    if (!m) return undefined;
    const part = (k: string) => Number(m[order.indexOf(k) + 1]);
    const t = new Date(Date.UTC(part('Y'), part('M') - 1, part('D')));
    return t.getUTCMonth() === part('M') - 1 && t.getUTCDate() === part('D') ? t.toISOString() : undefined;
  }
  const iso = /\b\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?/.exec(value);
  if (iso) {
    const t = new Date(iso[0].length === 10 ? `${iso[0]}T00:00:00Z` : iso[0].replace(' ', 'T'));
    if (!Number.isNaN(t.getTime())) return t.toISOString();
  }
  const d = firstDate(value);
  return d ? `${d}T00:00:00.000Z` : undefined;
}
