// One alert as a Teams card: header, severity, apply-by (OVERDUE when past), what changed,
// matched items, what to apply and the advisory link — the same facts as the email.
import type { Alert } from '../channel.js';
import { alertView } from '../render.js';
import { escaperFor, mdLink, renderTeams, TEAMS_MAX_BYTES, type CardContent, type CardUnit, type TeamsFormat, type TeamsPayload } from './cards.js';

/** One alert → one Teams payload, or several ("part 2/3") when its matched items do not fit one. */
export function buildTeamsMessages(alert: Alert, now: Date, format: TeamsFormat = 'adaptive', maxBytes = TEAMS_MAX_BYTES): TeamsPayload[] {
  return renderTeams(alertCard(alert, now, format), format, maxBytes);
}

/** The format-neutral content of one alert's card. */
export function alertCard(alert: Alert, now: Date, format: TeamsFormat): CardContent {
  const v = alertView(alert, now);
  const esc = escaperFor(format);
  const overdue = /OVERDUE/.test(v.applyByText);
  const units: CardUnit[] = [
    {
      type: 'facts',
      facts: [
        ['Severity', `${v.severityLabel} (${v.severityWhy})`],
        ['Apply by', v.applyByText],
        ['Rule', v.applyByRule],
        ['Advisory', `${v.advisoryId}, published ${v.published}`],
        ['CVEs', v.cvesText],
        ['Change', v.reminderText ?? (alert.change === 'new' ? 'New advisory' : `Revised (revision ${alert.advisory.revision})`)],
      ],
    },
  ];
  if (overdue) units.push({ type: 'text', md: `**${esc(`Past the apply-by date: ${v.applyByText}`)}**`, color: 'attention' });
  if (v.changes.length > 0) {
    units.push({ type: 'text', md: esc('What changed'), weight: 'bolder' });
    for (const c of v.changes) units.push({ type: 'text', md: `• ${esc(c)}`, tight: true });
  }
  for (const line of v.exploitedLines) units.push({ type: 'text', md: `**${esc(line)}**`, color: 'attention', tight: true });
  units.push({ type: 'text', md: esc(`Matched items (${v.matchCount})`), weight: 'bolder' });
  if (v.matches.length === 0) units.push({ type: 'text', md: esc('None matched in the inventory (this subscription receives all advisories over its severity floor).'), tight: true });
  for (const m of v.matches) {
    const where = [m.collection, m.location].filter((x): x is string => x !== null).join(', ');
    const line = `${m.name} (${where}) ×${m.instances}${m.version ? `, version ${m.version}` : ''}, ${m.confidence} confidence, apply by ${m.applyByText}`;
    units.push({ type: 'text', md: `• ${esc(line)}`, tight: true });
    if (m.ackApplied && m.ackNotApplicable) {
      units.push({ type: 'text', md: `${mdLink('Mark applied', m.ackApplied, esc)} · ${mdLink('Not applicable', m.ackNotApplicable, esc)}`, tight: true });
    }
  }
  const r = v.remediation;
  units.push({ type: 'text', md: esc('What to apply'), weight: 'bolder' });
  const apply = r.none
    ? [esc('No fix published yet; follow the advisory link for mitigations.')]
    : [
        r.action ? esc(r.action) : null,
        r.kbs ? `${esc('Updates (KB):')} ${esc(r.kbs)}` : null,
        r.fixedVersions ? `${esc('Fixed in:')} ${esc(r.fixedVersions)}` : null,
        r.url ? mdLink('Instructions', r.url, esc) : null,
      ].filter((x): x is string => x !== null);
  for (const a of apply) units.push({ type: 'text', md: a, tight: true });
  const link = v.url ?? r.url;
  return {
    title: `${v.reminderText ? 'Reminder: ' : ''}${v.severityLabel}: ${v.title}`,
    color: alert.advisory.severity === 'critical' ? 'attention' : alert.advisory.severity === 'important' ? 'warning' : 'default',
    summary: v.subject,
    units,
    link: link ? { title: 'Open advisory', url: link } : null,
  };
}
