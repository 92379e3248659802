// CVSS base scores from vectors (FIRST: https://www.first.org/cvss/), computed by ae-cvss-calculator.
import cvssCalculator from 'ae-cvss-calculator';
import type { CvssScore } from '../../model/advisory.js';

const { Cvss2, Cvss3P0, Cvss3P1, Cvss4P0 } = cvssCalculator;

/** Base metrics and their allowed values per version; a vector missing one is not scored. */
const BASE: Record<'2.0' | '3.0' | '3.1' | '4.0', Record<string, RegExp>> = {
  '2.0': { AV: /^[LAN]$/, AC: /^[HML]$/, Au: /^[MSN]$/, C: /^[NPC]$/, I: /^[NPC]$/, A: /^[NPC]$/ },
  '3.0': { AV: /^[NALP]$/, AC: /^[LH]$/, PR: /^[NLH]$/, UI: /^[NR]$/, S: /^[UC]$/, C: /^[NLH]$/, I: /^[NLH]$/, A: /^[NLH]$/ },
  '3.1': { AV: /^[NALP]$/, AC: /^[LH]$/, PR: /^[NLH]$/, UI: /^[NR]$/, S: /^[UC]$/, C: /^[NLH]$/, I: /^[NLH]$/, A: /^[NLH]$/ },
  '4.0': {
    AV: /^[NALP]$/, AC: /^[LH]$/, AT: /^[NP]$/, PR: /^[NLH]$/, UI: /^[NPA]$/,
    VC: /^[HLN]$/, VI: /^[HLN]$/, VA: /^[HLN]$/, SC: /^[HLN]$/, SI: /^[HLN]$/, SA: /^[HLN]$/,
  },
};

/**
 * An OSV `severity[]` entry (CVSS_V2/V3/V4 vector) as a scored set; undefined when the vector is
 * not a complete, valid one (the record keeps its vendor word, if any, for the rating).
 */
export function scoreCvssVector(vector: string): CvssScore | undefined {
  const version = /^CVSS:(3\.0|3\.1|4\.0)\//.exec(vector)?.[1] ?? (/^\(?AV:[LAN]\//.test(vector) ? '2.0' : undefined);
  if (version !== '2.0' && version !== '3.0' && version !== '3.1' && version !== '4.0') return undefined;
  const metrics = new Map<string, string>();
  for (const part of vector.replace(/^\(|\)$/g, '').split('/').slice(version === '2.0' ? 0 : 1)) {
    const [key, value, extra] = part.split(':');
    if (key === undefined || value === undefined || extra !== undefined || metrics.has(key)) return undefined;
    metrics.set(key, value);
  }
  for (const [key, allowed] of Object.entries(BASE[version])) if (!allowed.test(metrics.get(key) ?? '')) return undefined;
  let base: number | undefined;
  try {
    const clean = vector.replace(/^\(|\)$/g, '');
    const calc = version === '2.0' ? new Cvss2(clean) : version === '3.0' ? new Cvss3P0(clean) : version === '3.1' ? new Cvss3P1(clean) : new Cvss4P0(clean);
    base = calc.calculateScores().base;
  } catch {
    return undefined; // the library rejects what our check let through: treat as unscored, never crash
  }
  if (base === undefined || !Number.isFinite(base) || base < 0 || base > 10) return undefined;
  return { version, score: base, vector };
}
