// Maven version ordering: a port of org.apache.maven.artifact.versioning.ComparableVersion (the
// Maven 3.6–3.8 parser) as the POM reference's "Version Order Specification" describes it. The one npm port (mvncmp) is a
// single unmaintained release without types, so this is the documented algorithm, tested
// against the specification's examples.

type Item = { readonly kind: 'int'; readonly value: bigint } | { readonly kind: 'string'; readonly value: string } | ListItem;
interface ListItem {
  readonly kind: 'list';
  readonly items: Item[];
}

const QUALIFIERS = ['alpha', 'beta', 'milestone', 'rc', 'snapshot', '', 'sp'];
const ALIASES: Record<string, string> = { ga: '', final: '', release: '', cr: 'rc' };
const RELEASE = String(QUALIFIERS.indexOf(''));

/** Known qualifiers by their rank; unknown ones after all of them, alphabetically. */
const comparable = (q: string): string => {
  const i = QUALIFIERS.indexOf(q);
  return i === -1 ? `${QUALIFIERS.length}-${q}` : String(i);
};

function stringItem(value: string, followedByDigit: boolean): Item {
  let v = value;
  if (followedByDigit && v.length === 1) v = v === 'a' ? 'alpha' : v === 'b' ? 'beta' : v === 'm' ? 'milestone' : v;
  return { kind: 'string', value: ALIASES[v] ?? v };
}

const parseItem = (digit: boolean, buf: string): Item => (digit ? { kind: 'int', value: BigInt(buf) } : stringItem(buf, false));

const isNull = (item: Item): boolean =>
  item.kind === 'int' ? item.value === 0n : item.kind === 'string' ? comparable(item.value) === RELEASE : item.items.length === 0;

/** Drops trailing "null" items (0, "", "ga", "final"…) so 1.0 = 1 and 1-ga = 1. */
function normalize(list: ListItem): void {
  for (let i = list.items.length - 1; i >= 0; i--) {
    const item = list.items[i]!;
    if (isNull(item)) list.items.splice(i, 1);
    else if (item.kind !== 'list') break;
  }
}

function parse(version: string): ListItem {
  const text = version.toLowerCase();
  const root: ListItem = { kind: 'list', items: [] };
  let list = root;
  const stack: ListItem[] = [root];
  const nest = (): void => {
    const next: ListItem = { kind: 'list', items: [] };
    list.items.push(next);
    list = next;
    stack.push(next);
  };
  let isDigit = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '.') {
      list.items.push(i === start ? { kind: 'int', value: 0n } : parseItem(isDigit, text.slice(start, i)));
      start = i + 1;
    } else if (c === '-') {
      list.items.push(i === start ? { kind: 'int', value: 0n } : parseItem(isDigit, text.slice(start, i)));
      start = i + 1;
      nest();
    } else if (/\d/.test(c)) {
      if (!isDigit && i > start) {
        list.items.push(stringItem(text.slice(start, i), true));
        start = i;
        nest();
      }
      isDigit = true;
    } else {
      if (isDigit && i > start) {
        list.items.push(parseItem(true, text.slice(start, i)));
        start = i;
        nest();
      }
      isDigit = false;
    }
  }
  if (text.length > start) list.items.push(parseItem(isDigit, text.slice(start)));
  while (stack.length > 0) normalize(stack.pop()!);
  return root;
}

/** Item order; `undefined` on the right stands for "nothing there" (padding). */
function compareItem(a: Item, b: Item | undefined): number {
  if (a.kind === 'int') {
    if (b === undefined) return a.value === 0n ? 0 : 1;
    if (b.kind === 'int') return a.value === b.value ? 0 : a.value < b.value ? -1 : 1;
    return 1; // a number is newer than a qualifier or a sub-list
  }
  if (a.kind === 'string') {
    if (b === undefined) return cmp(comparable(a.value), RELEASE);
    if (b.kind === 'string') return cmp(comparable(a.value), comparable(b.value));
    return -1; // a qualifier is older than a number or a sub-list
  }
  if (b === undefined) return a.items.length === 0 ? 0 : compareItem(a.items[0]!, undefined);
  if (b.kind === 'int') return -1;
  if (b.kind === 'string') return 1;
  for (let i = 0; i < Math.max(a.items.length, b.items.length); i++) {
    const l = a.items[i];
    const r = b.items[i];
    const result = l === undefined ? (r === undefined ? 0 : -compareItem(r, undefined)) : compareItem(l, r);
    if (result !== 0) return result;
  }
  return 0;
}

const cmp = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);

/** -1, 0 or 1 in Maven's order; undefined for an empty or blank version. */
export function compareMaven(a: string, b: string): number | undefined {
  if (a.trim() === '' || b.trim() === '' || /\s/.test(a.trim()) || /\s/.test(b.trim())) return undefined;
  return Math.sign(compareItem(parse(a.trim()), parse(b.trim())));
}
