import { describe, expect, it } from 'vitest';
import { parseCsaf } from '../../src/parse/index.js';
import { parseSsvcVector } from '../../src/parse/csaf/ssvc.js';
import { corpus, corpusDocument } from '../helpers/corpus.js';

// CISA CSAF documents carry SSVC per vulnerability as a note; expectations read from the JSON here.
const DOCS = ['csaf/cisa/IT/white/2024/va-24-201-01.json', 'csaf/cisa/IT/white/2024/va-24-254-01.json', 'csaf/cisa/IT/white/2024/va-24-254-02.json'];

describe('SSVC from CISA CSAF', () => {
  it.each(DOCS)('%s: one decision per vulnerability, as its note says', async (rel) => {
    const json = JSON.parse(corpus(rel).toString('utf8')) as { vulnerabilities: { cve?: string; notes?: { title?: string; text: string }[] }[] };
    const expected = json.vulnerabilities.flatMap((v) => {
      const text = v.notes?.find((n) => n.title === 'SSVC')?.text;
      const m = text ? /E:(\w)\/A:(\w)\/T:(\w)/.exec(text) : null;
      return m ? [{ cve: v.cve, e: m[1], a: m[2], t: m[3] }] : [];
    });
    expect(expected.length).toBeGreaterThan(0);
    const [a] = await parseCsaf(corpusDocument(rel, { sourceId: 'cisa', sourceKind: 'csaf' }));
    const got = (a!.exploited.ssvc ?? []).map((p) => ({ cve: p.cve, e: p.exploitation[0]!.toUpperCase(), a: p.automatable ? 'Y' : 'N', t: p.technicalImpact[0]!.toUpperCase() }));
    expect(got).toEqual(expected);
    expect(a!.exploited.exploited).toBe(expected.some((x) => x.e === 'A') ? true : undefined);
  });

  it('reads the vector and refuses other text', () => {
    expect(parseSsvcVector('SSVCv2/E:A/A:Y/T:T/2024-07-11T21:26:33Z/ ')).toEqual({ exploitation: 'active', automatable: true, technicalImpact: 'total' });
    expect(parseSsvcVector('Exploitation: active')).toBeUndefined();
  });
});
