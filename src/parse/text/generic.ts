import type { CvssScore, ParsedAdvisory } from '../../model/advisory.js';
import { scoreCvssVector } from '../osv/cvss.js';
import { baseAdvisory, cleanSubject, cveIds, oneLine, type TextMeta } from './meta.js';

// Any other advisory text (oss-security posts, vendor notices): CVE ids, the subject as title, the
// publisher's severity word or a CVSS score when the text states one, else no rating (`none`).

const WORDS = ['critical', 'important', 'high', 'moderate', 'medium', 'low'] as const;

/** The advisory of a text that names at least one CVE; undefined for text that names none. */
export function parseGenericAdvisory(text: string, meta: TextMeta): ParsedAdvisory | undefined {
  // The subject counts: oss-security posts often name the CVE there only.
  const cves = cveIds(`${meta.subject ?? ''}\n${text}`);
  if (cves.length === 0) return undefined;
  const published = meta.date;
  if (!published) return undefined;
  const title = meta.subject ? cleanSubject(meta.subject) : (text.split('\n').find((l) => l.trim() !== '') ?? cves[0]!).trim();
  const key = meta.messageId ? `mail:${meta.messageId.replace(/^<|>$/g, '')}` : `text:${cves.join(',')}`;
  const severity = severityWord(text);
  const cvss = cvssOf(text);
  const summary = text.split(/\n\s*\n/).find((p) => p.trim() !== '' && !/^[\w-]+:/.test(p.trim())) ?? '';
  return {
    ...baseAdvisory(meta),
    id: key,
    title: oneLine(title),
    ...(meta.url ? { url: meta.url } : {}),
    summary: oneLine(summary).slice(0, 1000),
    published,
    modified: published,
    ...(severity ? { vendorSeverity: severity } : {}),
    cvss,
    cves,
    aliases: [],
    products: [],
    remediation: {},
  };
}

/** "Severity: High", "Impact: Important", "critical severity", "rated as moderate". */
export function severityWord(text: string): string | undefined {
  const words = WORDS.join('|');
  const stated = new RegExp(`^\\s*(?:severity|impact|rating|threat level)\\s*[:=]\\s*(${words})\\b`, 'im').exec(text);
  if (stated) return stated[1]!.toLowerCase();
  const phrase = new RegExp(`\\b(${words})[- ]severity\\b|\\bseverity (?:of |is |rated (?:as )?)?(${words})\\b|\\brated (?:as )?(${words})\\b`, 'i').exec(text);
  const word = phrase?.[1] ?? phrase?.[2] ?? phrase?.[3];
  return word?.toLowerCase();
}

/** CVSS vectors in the text, scored; else a stated "CVSS … score 7.5" without its vector. */
export function cvssOf(text: string): CvssScore[] {
  const out: CvssScore[] = [];
  for (const m of text.matchAll(/\bCVSS:(?:3\.[01]|4\.0)\/[A-Z:/]+[A-Z]\b/g)) {
    const score = scoreCvssVector(m[0]);
    if (score && !out.some((s) => s.vector === score.vector)) out.push(score);
  }
  if (out.length > 0) return out;
  const stated = /\bCVSS\s*(?:v?(\d(?:\.\d)?))?[^\n\d]{0,30}?(?:base )?score\s*(?:of|:|=)?\s*(\d{1,2}(?:\.\d)?)\b/i.exec(text);
  if (stated && Number(stated[2]) <= 10) return [{ version: stated[1] ?? '3.1', score: Number(stated[2]) }];
  return out;
}
