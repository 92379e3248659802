// Debian version ordering, as dpkg compares versions (Debian Policy §5.6.12, dpkg's verrevcmp):
// [epoch:]upstream_version[-debian_revision]. No maintained npm library implements it, so this is
// the documented algorithm, tested against the Policy's own examples.

interface DebVersion {
  readonly epoch: number;
  readonly upstream: string;
  readonly revision: string;
}

/** Parses a Debian version; undefined when it breaks Policy's syntax (the matcher then says so). */
export function parseDebVersion(version: string): DebVersion | undefined {
  const text = version.trim();
  const colon = text.indexOf(':');
  const epochText = colon >= 0 ? text.slice(0, colon) : '0';
  if (!/^\d+$/.test(epochText)) return undefined;
  const rest = colon >= 0 ? text.slice(colon + 1) : text;
  const dash = rest.lastIndexOf('-');
  const upstream = dash >= 0 ? rest.slice(0, dash) : rest;
  const revision = dash >= 0 ? rest.slice(dash + 1) : '';
  if (!/^\d[A-Za-z0-9.+~:-]*$/.test(upstream) || !/^[A-Za-z0-9.+~]*$/.test(revision)) return undefined;
  return { epoch: Number(epochText), upstream, revision };
}

/** Sort weight of one character: `~` before everything (even the end), letters before other marks. */
function order(c: string | undefined): number {
  if (c === undefined || /\d/.test(c)) return 0;
  if (/[A-Za-z]/.test(c)) return c.charCodeAt(0);
  if (c === '~') return -1;
  return c.charCodeAt(0) + 256;
}

/** dpkg's verrevcmp: alternating non-digit runs (by `order`) and digit runs (numerically). */
function verrevcmp(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    let firstDiff = 0;
    while ((i < a.length && !/\d/.test(a[i]!)) || (j < b.length && !/\d/.test(b[j]!))) {
      const ac = order(a[i]);
      const bc = order(b[j]);
      if (ac !== bc) return ac - bc;
      i++;
      j++;
    }
    while (a[i] === '0') i++;
    while (b[j] === '0') j++;
    while (i < a.length && /\d/.test(a[i]!) && j < b.length && /\d/.test(b[j]!)) {
      if (!firstDiff) firstDiff = a.charCodeAt(i) - b.charCodeAt(j);
      i++;
      j++;
    }
    if (i < a.length && /\d/.test(a[i]!)) return 1;
    if (j < b.length && /\d/.test(b[j]!)) return -1;
    if (firstDiff) return firstDiff;
  }
  return 0;
}

/** -1, 0 or 1 as dpkg --compare-versions orders a and b; undefined when either is not a Debian version. */
export function compareDeb(a: string, b: string): number | undefined {
  const x = parseDebVersion(a);
  const y = parseDebVersion(b);
  if (!x || !y) return undefined;
  const r = x.epoch - y.epoch || verrevcmp(x.upstream, y.upstream) || verrevcmp(x.revision, y.revision);
  return Math.sign(r);
}
