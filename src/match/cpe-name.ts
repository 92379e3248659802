// CPE 2.3 formatted strings (NISTIR 7695 §6.2) and the 2.2 URI form (cpe:/part:vendor:product:version…).

/** The CPE attributes the matcher compares; `*` is ANY and `-` is NA, as the specification says. */
export interface CpeName {
  readonly part: string;
  readonly vendor: string;
  readonly product: string;
  readonly version: string;
  readonly update: string;
}

/** Splits on unescaped colons and unquotes `\x`; undefined for anything that is not a CPE name. */
export function parseCpe(cpe: string): CpeName | undefined {
  const text = cpe.trim();
  let fields: string[];
  if (/^cpe:2\.3:/i.test(text)) fields = splitEscaped(text.slice(8));
  else if (/^cpe:\/[aho]?:/i.test(text)) fields = text.slice(5).split(':').map((f) => decodeURIComponentSafe(f));
  else return undefined;
  const [part = '', vendor = '', product = '', version = '', update = ''] = fields.map((f) => f.toLowerCase());
  if (!vendor || !product || vendor === '*' || product === '*') return undefined;
  return { part: part || '*', vendor, product, version: version || '*', update: update || '*' };
}

/** The index key: vendor and product, the attributes every usable CPE fixes. */
export const cpeKey = (c: CpeName): string => `${c.vendor}:${c.product}`;

function splitEscaped(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch === '\\' && i + 1 < s.length) cur += s[++i];
    else if (ch === ':') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
