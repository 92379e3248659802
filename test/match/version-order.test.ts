import { describe, expect, it } from 'vitest';
import { compareDeb } from '../../src/match/dpkg-version.js';
import { compareMaven } from '../../src/match/maven-version.js';
import { compareRpm, rpmvercmp } from '../../src/match/rpm-version.js';
import { compareIn, schemeFor } from '../../src/match/versions.js';

/** Every adjacent pair of an ascending list must compare -1, and each element equal to itself. */
function expectAscending(list: readonly string[], compare: (a: string, b: string) => number | undefined): void {
  for (let i = 0; i < list.length; i++) {
    expect(compare(list[i]!, list[i]!), `${list[i]} = itself`).toBe(0);
    for (let j = i + 1; j < list.length; j++) {
      expect(compare(list[i]!, list[j]!), `${list[i]} < ${list[j]}`).toBe(-1);
      expect(compare(list[j]!, list[i]!), `${list[j]} > ${list[i]}`).toBe(1);
    }
  }
}

describe('Debian (dpkg) ordering — Debian Policy §5.6.12', () => {
  it("sorts the Policy's tilde example: ~~ < ~~a < ~ < (nothing) < a", () => {
    expectAscending(['1.0~~', '1.0~~a', '1.0~', '1.0', '1.0a'], compareDeb);
  });
  it('compares the epoch first, then upstream (numeric runs as numbers), then the revision', () => {
    expect(compareDeb('1:0.1', '2.0')).toBe(1);
    expect(compareDeb('1.10', '1.9')).toBe(1);
    expect(compareDeb('3.0.11-1', '3.0.11-1~deb12u2')).toBe(1);
    expect(compareDeb('3.0.11-1~deb12u2', '3.0.11-1~deb12u1')).toBe(1);
    expect(compareDeb('2.36-9+deb12u4', '2.36-9+deb12u10')).toBe(-1);
    expect(compareDeb('1.0+dfsg-1', '1.0-1')).toBe(1); // '+' sorts after the end of the string
    expect(compareDeb('1.0a', '1.0+')).toBe(-1); // letters before other marks
    expect(compareDeb('01.0', '1.0')).toBe(0);
  });
  it('refuses what is not a Debian version', () => {
    expect(compareDeb('abc', '1.0')).toBeUndefined();
    expect(compareDeb('x:1.0', '1.0')).toBeUndefined();
  });
});

describe('RPM ordering — rpmvercmp, cases of rpm tests/rpmvercmp.at', () => {
  const cases: [string, string, number][] = [
    ['1.0', '1.0', 0],
    ['1.0', '2.0', -1],
    ['2.0.1', '2.0.1', 0],
    ['2.0', '2.0.1', -1],
    ['2.0.1a', '2.0.1', 1],
    ['5.5p1', '5.5p2', -1],
    ['5.5p10', '5.5p1', 1],
    ['10xyz', '10.1xyz', -1],
    ['xyz10', 'xyz10.1', -1],
    ['xyz.4', '8', -1],
    ['xyz.4', '2', -1],
    ['5.5p2', '5.6p1', -1],
    ['6.0.rc1', '6.0', 1],
    ['10b2', '10a1', 1],
    ['1.0aa', '1.0a', 1],
    ['10.0001', '10.1', 0],
    ['10.0001', '10.0039', -1],
    ['4.999.9', '5.0', -1],
    ['20101121', '20101122', -1],
    ['2_0', '2_0', 0],
    ['2.0', '2_0', 0],
    ['a+', 'a_', 0],
    ['+a', '_a', 0],
    ['1.0~rc1', '1.0', -1],
    ['1.0~rc1', '1.0~rc2', -1],
    ['1.0~rc1~git123', '1.0~rc1', -1],
    ['1.0^', '1.0', 1],
    ['1.0^git1', '1.0', 1],
    ['1.0^git1', '1.0^git2', -1],
    ['1.0^git1', '1.01', -1],
    ['1.0^20160101', '1.0.1', -1],
    ['1.0~rc1^git1', '1.0~rc1', 1],
    ['1.0^git1~pre', '1.0^git1', -1],
  ];
  it.each(cases)('rpmvercmp(%s, %s) = %i', (a, b, r) => {
    expect(rpmvercmp(a, b)).toBe(r);
    expect(rpmvercmp(b, a)).toBe(-r || 0);
  });
  it('compares epoch, version and release of full EVRs', () => {
    expect(compareRpm('2.13.3-2.el8', '2.13.3-3.el8_6.1')).toBe(-1);
    expect(compareRpm('1:1.0-1', '2.0-1')).toBe(1);
    expect(compareRpm('0:2.13.3-3.el8_6.1', '2.13.3-3.el8_6.1')).toBe(0);
    expect(compareRpm('2.13.3', '2.13.3-3.el8')).toBe(0); // no release: any release of that version
  });
});

describe('Maven ordering — POM reference "Version Order Specification" and ComparableVersionTest', () => {
  it('orders qualifiers: alpha < beta < milestone < rc = cr < snapshot < release < sp < unknown', () => {
    expectAscending(
      ['1-alpha2snapshot', '1-alpha2', '1-alpha-123', '1-beta-2', '1-beta123', '1-m2', '1-m11', '1-rc', '1-cr2', '1-rc123', '1-SNAPSHOT', '1', '1-sp', '1-sp2', '1-sp123', '1-abc', '1-def', '1-pom-1', '1-1-snapshot', '1-1', '1-2', '1-123'],
      compareMaven,
    );
  });
  it('orders numbers and mixed items', () => {
    expectAscending(
      ['2.0', '2-1', '2.0.a', '2.0.0.a', '2.0.2', '2.0.123', '2.1.0', '2.1-a', '2.1b', '2.1-c', '2.1-1', '2.1.0.1', '2.2', '2.123', '11.a2', '11.a11', '11.b2', '11.b11', '11.m2', '11.m11', '11', '11.a', '11b', '11c', '11m'],
      compareMaven,
    );
  });
  it('treats trailing zeros and release aliases as equal', () => {
    for (const v of ['1', '1.0', '1.0.0', '1-ga', '1-final', '1.ga', '1-0', '1-release']) expect(compareMaven('1', v), v).toBe(0);
    expect(compareMaven('1-a1', '1-alpha-1')).toBe(0);
    expect(compareMaven('1-sp-1', '1-ga-1')).toBe(-1);
  });
});

describe('PEP 440 ordering through @renovatebot/pep440', () => {
  it("sorts the PEP's own example list", () => {
    expectAscending(
      ['1.dev0', '1.0.dev456', '1.0a1', '1.0a2.dev456', '1.0a12.dev456', '1.0a12', '1.0b1.dev456', '1.0b2', '1.0b2.post345.dev456', '1.0b2.post345', '1.0rc1.dev456', '1.0rc1', '1.0', '1.0+abc.5', '1.0+abc.7', '1.0+5', '1.0.post456.dev34', '1.0.post456', '1.0.15', '1.1.dev1'],
      (a, b) => compareIn('pep440', a, b),
    );
  });
  it('refuses what is not a PEP 440 version', () => {
    expect(compareIn('pep440', 'banana', '1.0')).toBeUndefined();
  });
});

describe('scheme per ecosystem', () => {
  it.each([
    ['PyPI', 'pep440'],
    ['Maven', 'maven'],
    ['Debian:12', 'dpkg'],
    ['Ubuntu:22.04:LTS', 'dpkg'],
    ['Red Hat:enterprise_linux:8', 'rpm'],
    ['Go', 'semver'],
    ['npm', 'semver'],
    ['Hackage', 'generic'],
  ])('%s → %s', (eco, scheme) => {
    expect(schemeFor('ECOSYSTEM', eco)).toBe(scheme);
  });
});
