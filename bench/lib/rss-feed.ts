// A seeded generator of RSS 2.0 advisory feeds for the rss benchmark: items shaped like the feeds
// secwatch reads (Debian DSA, Red Hat RHSA with a leading rating, Ubuntu USN, vendor PSIRT notices
// with a severity category), each with a guid, a link, an RFC 822 pubDate and an HTML description
// naming 1–6 CVEs. Same seed, same bytes.
import { prng } from './prng.js';

const PACKAGES = ['openssl', 'chromium', 'firefox-esr', 'linux', 'curl', 'glibc', 'nginx', 'postgresql-15', 'thunderbird', 'libxml2', 'python3.11', 'openjdk-17', 'samba', 'bind9', 'git', 'sudo'];
const RATINGS = ['Critical', 'Important', 'Moderate', 'Low'];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const escapeXml = (s: string): string => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

function rfc822(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]}, ${pad(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}

export function generateRssFeed(items: number, seed = 7): string {
  const rnd = prng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
  const start = Date.UTC(2025, 0, 1);
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">',
    '<channel>',
    '<title>Security advisories (generated)</title>',
    '<link>https://security.example.org/</link>',
    '<description>Seeded synthetic advisory feed for secwatch benchmarks</description>',
    `<lastBuildDate>${rfc822(start + items * 3_600_000)}</lastBuildDate>`,
  ];
  for (let i = 0; i < items; i++) {
    const pkg = pick(PACKAGES);
    const cves = Array.from({ length: 1 + Math.floor(rnd() * 6) }, () => `CVE-${2023 + Math.floor(rnd() * 3)}-${1000 + Math.floor(rnd() * 60000)}`);
    const rating = pick(RATINGS);
    const style = i % 4;
    let title: string;
    let link: string;
    let category = '';
    if (style === 0) {
      title = `DSA-${5000 + i}-1 ${pkg} - security update`;
      link = `https://www.debian.org/security/2025/dsa-${5000 + i}`;
    } else if (style === 1) {
      title = `RHSA-2025:${10000 + i}: ${rating}: ${pkg} security update`;
      link = `https://access.redhat.com/errata/RHSA-2025:${10000 + i}`;
    } else if (style === 2) {
      title = `USN-${7000 + i}-1: ${pkg} vulnerabilities`;
      link = `https://ubuntu.com/security/notices/USN-${7000 + i}-1`;
    } else {
      title = `Multiple vulnerabilities in Example ${pkg} appliance`;
      link = `https://psirt.example.com/advisories/EX-2025-${String(i).padStart(5, '0')}`;
      category = `<category>Severity: ${rating}</category>`;
    }
    const description =
      `<p>Several vulnerabilities were discovered in <b>${pkg}</b> which could result in denial of service, ` +
      `information disclosure or the execution of arbitrary code.</p><ul>${cves.map((c) => `<li><a href="https://www.cve.org/CVERecord?id=${c}">${c}</a></li>`).join('')}</ul>` +
      `<p>We recommend that you upgrade your ${pkg} packages (fixed in ${1 + Math.floor(rnd() * 9)}.${Math.floor(rnd() * 20)}.${Math.floor(rnd() * 30)}).</p>`;
    out.push(
      '<item>',
      `<title>${escapeXml(title)}</title>`,
      `<link>${link}</link>`,
      `<guid isPermaLink="true">${link}</guid>`,
      `<pubDate>${rfc822(start + i * 3_600_000 + Math.floor(rnd() * 3_600_000))}</pubDate>`,
      category,
      `<description>${escapeXml(description)}</description>`,
      '</item>',
    );
  }
  out.push('</channel>', '</rss>', '');
  return out.join('\n');
}
