// One advisory: every source that reported the same issue (src/merge provenance), signature
// status and signer, each revision with what changed (src/model/changes.ts), the matches with
// their acknowledgement, and the vendor's links. Pure.
import type { Advisory, SignatureInfo } from '../../model/advisory.js';
import { describeChange, materialChanges } from '../../model/changes.js';
import type { Match } from '../../model/match.js';
import type { Acknowledgement } from '../../model/subscription.js';
import { logicalItemOf } from '../../merge/logical-item.js';
import type { StoredAdvisory } from '../../store/store.js';
import { WEB } from '../paths.js';
import { dueText, vendorAndProduct } from './deadlines.js';
import { severityLabel, whenText } from './format.js';

export interface AdvisoryDetailInput {
  readonly stored: StoredAdvisory;
  /** Oldest first, as the store lists them. */
  readonly revisions: readonly Advisory[];
  readonly matches: readonly Match[];
  readonly acknowledgements: readonly Acknowledgement[];
  /** Other advisories naming the same CVEs (any source); this one may be among them. */
  readonly siblings: readonly Advisory[];
  readonly today: string;
}

/** "verified by <fingerprint>" and friends: what a reader needs to trust (or not) the text. */
export function signatureText(s: SignatureInfo): string {
  const words: Record<SignatureInfo['status'], string> = {
    verified: 'verified',
    'expired-key': 'signed with an expired key',
    bad: 'BAD signature',
    'unknown-key': 'signed by a key we do not pin',
    unsigned: 'unsigned',
    'not-checked': 'not checked',
  };
  return `${words[s.status]}${s.signer ? ` (signer ${s.signer})` : ''}`;
}

export function advisoryDetailView(input: AdvisoryDetailInput) {
  const a = input.stored.advisory;
  const item = logicalItemOf(a, input.siblings);
  const revisions = input.revisions.map((r, i) => {
    const prev = i > 0 ? input.revisions[i - 1] : undefined;
    const changes = prev ? materialChanges(prev, r).map(describeChange) : [];
    return { revision: r.revision, modified: whenText(r.modified), severity: severityLabel(r.severity), changes, first: prev === undefined };
  });
  const ackOf = (m: Match) => input.acknowledgements.find((k) => k.itemCollection === m.item.collection && k.itemName === m.item.name);
  const links = [a.url, a.remediation.url, ...item.provenance.map((p) => p.url)].filter((u): u is string => typeof u === 'string' && /^https?:\/\//i.test(u));
  return {
    id: a.id,
    title: a.title,
    summary: a.summary ?? '',
    severity: severityLabel(a.severity),
    severityClass: `sev-${a.severity}`,
    severitySource: a.severitySource,
    kind: a.kind === 'advance-notice' ? 'advance notice' : 'advisory',
    source: a.source.id ?? a.source.kind,
    published: whenText(a.published),
    modified: whenText(a.modified),
    firstSeen: whenText(input.stored.firstSeen),
    revision: a.revision,
    cves: a.cves,
    signature: signatureText(a.signature),
    signatureClass: `sig-${a.signature.status}`,
    kev: a.exploited.kev ? `listed ${a.exploited.kev.dateAdded}, due ${a.exploited.kev.dueDate}${a.exploited.kev.ransomware ? ', used by ransomware' : ''}` : '',
    action: a.remediation.action ?? '',
    fixes: [...(a.remediation.kbs ?? []), ...(a.remediation.fixedVersions ?? [])].join(', '),
    planned: a.plannedRelease ? `${a.plannedRelease.date} (up to ${a.plannedRelease.maxSeverity})` : '',
    products: a.products.slice(0, 50).map((p) => vendorAndProduct(p.vendor, p.product)),
    moreProducts: Math.max(0, a.products.length - 50),
    provenance: item.provenance.map((p) => ({
      advisoryId: p.advisoryId,
      href: WEB.advisory(p.advisoryId),
      current: p.advisoryId === a.id,
      source: p.source.id ?? p.source.kind,
      kind: p.source.kind,
      severity: severityLabel(p.severity),
      signature: signatureText(p.signature),
      published: whenText(p.published),
      url: p.url && /^https?:\/\//i.test(p.url) ? p.url : '',
    })),
    mergedSeverity: `${severityLabel(item.severity)} (from ${item.severityFrom})`,
    revisions,
    matches: input.matches.map((m) => {
      const ack = ackOf(m);
      return {
        itemName: m.item.name,
        collection: m.item.collection,
        instances: m.item.instances,
        location: m.item.location ?? '',
        reason: m.reason,
        confidence: m.confidence,
        applyBy: m.applyBy ?? '',
        dueText: dueText(m.applyBy, input.today),
        rule: m.applyByRule,
        ack: ack ? `${ack.status === 'applied' ? 'Applied' : 'Not applicable'}${ack.note ? `: ${ack.note}` : ''}` : '',
      };
    }),
    links: [...new Set(links)],
  };
}

export type AdvisoryDetailView = ReturnType<typeof advisoryDetailView>;
