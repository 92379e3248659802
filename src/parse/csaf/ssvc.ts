// CISA's CSAF documents carry its SSVC decision per vulnerability as a note titled "SSVC" whose
// text is a vector: "SSVCv2/E:P/A:N/T:T/2024-09-10T17:02:15Z/" (E: exploitation None/PoC/Active,
// A: automatable No/Yes, T: technical impact Partial/Total). The bod-26-04 apply-by rule reads it.
import type { SsvcPoints } from '../../model/advisory.js';
import type { CsafVulnerability } from './wire.js';

const VECTOR = /^SSVCv2\/E:([NPA])\/A:([NY])\/T:([PT])\//i;
const EXPLOITATION = { N: 'none', P: 'poc', A: 'active' } as const;

/** One SSVC vector text → its decision points; undefined for anything else. */
export function parseSsvcVector(text: string, cve?: string): SsvcPoints | undefined {
  const m = VECTOR.exec(text.trim());
  if (!m) return undefined;
  return {
    ...(cve === undefined ? {} : { cve }),
    exploitation: EXPLOITATION[m[1]!.toUpperCase() as 'N' | 'P' | 'A'],
    automatable: m[2]!.toUpperCase() === 'Y',
    technicalImpact: m[3]!.toUpperCase() === 'T' ? 'total' : 'partial',
  };
}

/** Every vulnerability's SSVC note, in document order. */
export function ssvcOf(vulns: readonly CsafVulnerability[]): SsvcPoints[] {
  return vulns.flatMap((v) => {
    const note = v.notes?.find((n) => n.title?.trim().toUpperCase() === 'SSVC' || VECTOR.test(n.text.trim()));
    const points = note ? parseSsvcVector(note.text, v.cve) : undefined;
    return points ? [points] : [];
  });
}
