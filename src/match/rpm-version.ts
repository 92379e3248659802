// RPM version ordering: rpmvercmp() of rpm's lib/rpmvercmp.c applied to epoch, version and release
// (rpmVersionCompare). No maintained npm library implements it, so this is the documented
// algorithm, tested against the cases of rpm's own test suite (tests/rpmvercmp.at).

/** rpmvercmp on one version or release string: alphanumeric segments, `~` before and `^` after. */
export function rpmvercmp(a: string, b: string): number {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  const alnum = /[A-Za-z0-9]/;
  while (i < a.length || j < b.length) {
    while (i < a.length && !alnum.test(a[i]!) && a[i] !== '~' && a[i] !== '^') i++;
    while (j < b.length && !alnum.test(b[j]!) && b[j] !== '~' && b[j] !== '^') j++;
    // Tilde: a pre-release, older than anything (even the end of the string).
    if (a[i] === '~' || b[j] === '~') {
      if (a[i] !== '~') return 1;
      if (b[j] !== '~') return -1;
      i++;
      j++;
      continue;
    }
    // Caret: a post-release snapshot, newer than the end of the string but older than more segments.
    if (a[i] === '^' || b[j] === '^') {
      if (i >= a.length) return -1;
      if (j >= b.length) return 1;
      if (a[i] !== '^') return 1;
      if (b[j] !== '^') return -1;
      i++;
      j++;
      continue;
    }
    if (i >= a.length || j >= b.length) break;
    const numeric = /\d/.test(a[i]!);
    const seg = numeric ? /^\d+/ : /^[A-Za-z]+/;
    const x = seg.exec(a.slice(i))?.[0] ?? '';
    const y = seg.exec(b.slice(j))?.[0] ?? '';
    i += x.length;
    j += y.length;
    // Segments of different kinds: the numeric one is newer.
    if (y === '') return numeric ? 1 : -1;
    if (numeric) {
      const xs = x.replace(/^0+/, '');
      const ys = y.replace(/^0+/, '');
      if (xs.length !== ys.length) return xs.length > ys.length ? 1 : -1;
      if (xs !== ys) return xs > ys ? 1 : -1;
    } else if (x !== y) return x > y ? 1 : -1;
  }
  if (i >= a.length && j >= b.length) return 0;
  return i >= a.length ? -1 : 1;
}

interface Evr {
  readonly epoch: number;
  readonly version: string;
  readonly release: string | undefined;
}

/** "1:2.13.3-3.el8_6.1" → epoch 1, version 2.13.3, release 3.el8_6.1; undefined for anything else. */
export function parseEvr(evr: string): Evr | undefined {
  const m = /^(?:(\d+):)?([^\s:-][^\s:]*?)(?:-([^\s:-]+))?$/.exec(evr.trim());
  if (!m?.[2]) return undefined;
  return { epoch: Number(m[1] ?? 0), version: m[2], release: m[3] };
}

/** Orders two epoch:version-release strings; a missing release compares equal to any (as rpm does). */
export function compareRpm(a: string, b: string): number | undefined {
  const x = parseEvr(a);
  const y = parseEvr(b);
  if (!x || !y) return undefined;
  if (x.epoch !== y.epoch) return x.epoch > y.epoch ? 1 : -1;
  const v = rpmvercmp(x.version, y.version);
  if (v !== 0 || x.release === undefined || y.release === undefined) return v;
  return rpmvercmp(x.release, y.release);
}
