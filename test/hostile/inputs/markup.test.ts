// A feed with script and HTML in every field, through the real cycle to the outputs: stored as
// text, and every rendering shows it as text — the JSON Feed carries only content_text, the Atom
// feed escapes it, the alert email's HTML part escapes it. No <script> element ever comes out.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAtomFeed, feedFromStore } from '../../../src/feed/index.js';
import { startServer, type TestServer } from '../../helpers/http-server.js';
import { hostileCycle, type HostileRun } from './hostile-cycle.js';

const SCRIPT = '<script>alert(1)</script>';
const IMG = '<img src=x onerror=alert(2)>';
const payload = (field: string): string => `${field} ${SCRIPT}${IMG}"'&`;
const escaped = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** RSS 2.0 with the markup in every field an item has: as escaped text, and as CDATA. */
const feed = `<?xml version="1.0"?><rss version="2.0"><channel><title>${escaped(payload('channel'))}</title><link>https://e.example/</link><description>d</description>
<item>
 <title>${escaped(payload('Critical: title CVE-2024-11111'))}</title>
 <link>https://e.example/advisory?x="&gt;&lt;script&gt;alert(3)&lt;/script&gt;</link>
 <guid>${escaped(payload('guid'))}</guid>
 <pubDate>Mon, 02 Sep 2024 08:30:00 +0200</pubDate>
 <description><![CDATA[<p>summary</p>${SCRIPT}${IMG}<a href="javascript:alert(4)">x</a>]]></description>
 <category>${escaped(payload('category'))}</category>
 <author>${escaped(payload('author'))}</author>
</item>
<item><title>Critical: second CVE-2024-22222</title><link>javascript:alert(5)</link><guid>second</guid><pubDate>Mon, 02 Sep 2024 08:30:00 +0200</pubDate></item>
</channel></rss>`;

let server: TestServer;
let run: HostileRun;

beforeAll(async () => {
  server = await startServer((_req, res) => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(feed));
  run = await hostileCycle([{ id: 'markup', kind: 'rss', url: `${server.url}/feed`, vendor: 'Example', defaultSeverity: 'critical' }], {
    email: { transport: 'outbox' },
    subscriptions: [{ id: 'all', channel: 'email', to: ['ops@example.org'], minSeverity: 'low', matchedOnly: false, sources: ['markup'] }],
  });
});
afterAll(async () => {
  await run.app.close();
  await server.close();
});

describe('script and HTML in every field of a feed', () => {
  it('is stored as text: markup in a title is read as HTML and reduced to its text, a guid keeps its characters, a javascript: link is dropped', async () => {
    expect(run.report('markup')).toMatchObject({ status: 'ok', advisories: { new: 2 } });
    const stored = new Map((await run.app.store.listAdvisories({ sourceId: 'markup' })).map((s) => [s.advisory.id, s.advisory]));
    const first = stored.get(`markup:${payload('guid')}`);
    expect(first).toMatchObject({ title: `Critical: title CVE-2024-11111 "'&`, summary: 'summary x', url: 'https://e.example/advisory?x="><script>alert(3)</script>' });
    const second = stored.get('markup:second');
    expect(second?.title).toBe('Critical: second CVE-2024-22222');
    expect(second?.url).toBeUndefined();
  });

  it('the JSON Feed has text only (content_text, no content_html)', async () => {
    const json = await feedFromStore(run.app.store, run.app.config, run.app.policy, { sourceId: 'markup' });
    expect(json.items.map((i) => i.id)).toContain(`markup:${payload('guid')}`);
    expect(JSON.stringify(json)).not.toContain('content_html');
    expect(JSON.stringify(json)).not.toContain('javascript:');
  });

  it("the Atom feed escapes it: no element but Atom's own, no javascript: link", async () => {
    const json = await feedFromStore(run.app.store, run.app.config, run.app.policy, { sourceId: 'markup' });
    const atom = buildAtomFeed(json, 'https://secwatch.example/feed.atom', 'urn:secwatch:test');
    expect(atom).not.toMatch(/<script|<img|javascript:/i);
    expect(atom).toContain('href="https://e.example/advisory?x=&quot;&gt;&lt;script&gt;alert(3)&lt;/script&gt;"');
  });

  it("each alert email's HTML part escapes it", async () => {
    const outbox = run.app.config.paths.outboxDir;
    const files = readdirSync(outbox).filter((f) => f.endsWith('.eml'));
    expect(files).toHaveLength(2);
    const htmls = await Promise.all(files.map(async (f) => (await simpleParser(readFileSync(join(outbox, f)))).html || ''));
    for (const html of htmls) expect(html).not.toMatch(/<script|<img|javascript:/i);
    expect(htmls.join('\n')).toContain('markup:guid &lt;script&gt;alert(1)&lt;/script&gt;&lt;img src&#x3D;x onerror&#x3D;alert(2)&gt;');
  });
});
