// CVRF 1.1 XML → wire shape (https://docs.oasis-open.org/csaf/csaf-cvrf/v1.2/cs01/csaf-cvrf-v1.2-cs01.html),
// read as the XML streams by (xml-stream.ts): a state machine keeps only the elements secwatch uses.
// Building a whole element tree first and reading it after cost ~3.6× a bare parse of a month,
// most of it in the tree's ~106,000 objects and collecting them (bench/RESULTS.md, cvrf).
//
// The result is exactly what the tree reader gave (test/parse/cvrf-stream-oracle.test.ts holds it
// to the old reader on every corpus month and on malformed variants), including its rules:
// - "the first X": where one child is read (a Title, a vulnerability's Notes, a Threat's
//   Description…), only the first child of that name counts, even when it is empty;
// - an element's text is its own character data, not its children's; between child elements only
//   non-blank pieces count (indentation is never read);
// - a value is its text trimmed; an empty one is absent.
import type { CvrfDocument, CvrfRemediation, CvrfRevision, CvrfScoreSet, CvrfThreat, CvrfVulnerability } from './wire.js';
import { streamXml, type XmlEvents } from './xml-stream.js';

/** Thrown when the root element is not a CVRF document; the adapter turns it into a ParseError. */
export class NotCvrfError extends Error {}

// What an open element is to the reader. Roles 1–27 are "the first X" roles: bit `1 << role` of
// the parent's `seen` says one was already opened there. The others take every element of the name.
const IGNORED = 0;
const DOCUMENT_TITLE = 1;
const TRACKING = 2;
const PRODUCT_TREE = 3;
const IDENTIFICATION = 4;
const ID = 5;
const VERSION = 6;
const INITIAL_RELEASE = 7;
const CURRENT_RELEASE = 8;
const REVISION_HISTORY = 9;
const REVISION_NUMBER = 10;
const REVISION_DATE = 11;
const REVISION_DESCRIPTION = 12;
const VULN_TITLE = 13;
const VULN_CVE = 14;
const NOTES = 15;
const STATUSES = 16;
const THREATS = 17;
const SCORE_SETS = 18;
const REMEDIATIONS = 19;
const DESCRIPTION = 20;
const BASE_SCORE = 21;
const VECTOR = 22;
const URL = 23;
const SUPERCEDENCE = 24;
const SUB_TYPE = 25;
const DOCUMENT = 28;
const ROOT = 29;
const VULNERABILITY = 30;
const BRANCH = 31;
const FULL_PRODUCT_NAME = 32;
const REVISION = 33;
const NOTE = 34;
const STATUS = 35;
const THREAT = 36;
const SCORE_SET = 37;
const REMEDIATION = 38;
const PRODUCT_ID = 39;
const FIXED_BUILD = 40;

const FIRST_ONLY_LIMIT = 28;

/** The role of a `name` element inside a `parent` element (IGNORED when the reader does not use it). */
function roleOf(parent: number, name: string): number {
  switch (parent) {
    case DOCUMENT:
      return name === 'cvrfdoc' ? ROOT : IGNORED;
    case ROOT:
      if (name === 'Vulnerability') return VULNERABILITY;
      if (name === 'DocumentTitle') return DOCUMENT_TITLE;
      if (name === 'DocumentTracking') return TRACKING;
      if (name === 'ProductTree') return PRODUCT_TREE;
      return IGNORED;
    case TRACKING:
      if (name === 'Identification') return IDENTIFICATION;
      if (name === 'Version') return VERSION;
      if (name === 'RevisionHistory') return REVISION_HISTORY;
      if (name === 'InitialReleaseDate') return INITIAL_RELEASE;
      if (name === 'CurrentReleaseDate') return CURRENT_RELEASE;
      return IGNORED;
    case IDENTIFICATION:
      return name === 'ID' ? ID : IGNORED;
    case REVISION_HISTORY:
      return name === 'Revision' ? REVISION : IGNORED;
    case REVISION:
      if (name === 'Number') return REVISION_NUMBER;
      if (name === 'Date') return REVISION_DATE;
      if (name === 'Description') return REVISION_DESCRIPTION;
      return IGNORED;
    case PRODUCT_TREE:
    case BRANCH:
      if (name === 'FullProductName') return FULL_PRODUCT_NAME;
      if (name === 'Branch') return BRANCH;
      return IGNORED;
    case VULNERABILITY:
      switch (name) {
        case 'Title':
          return VULN_TITLE;
        case 'CVE':
          return VULN_CVE;
        case 'Notes':
          return NOTES;
        case 'ProductStatuses':
          return STATUSES;
        case 'Threats':
          return THREATS;
        case 'CVSSScoreSets':
          return SCORE_SETS;
        case 'Remediations':
          return REMEDIATIONS;
        case 'RevisionHistory':
          return REVISION_HISTORY;
        default:
          return IGNORED;
      }
    case NOTES:
      return name === 'Note' ? NOTE : IGNORED;
    case STATUSES:
      return name === 'Status' ? STATUS : IGNORED;
    case STATUS:
      return name === 'ProductID' ? PRODUCT_ID : IGNORED;
    case THREATS:
      return name === 'Threat' ? THREAT : IGNORED;
    case THREAT:
      if (name === 'ProductID') return PRODUCT_ID;
      return name === 'Description' ? DESCRIPTION : IGNORED;
    case SCORE_SETS:
      return name === 'ScoreSet' ? SCORE_SET : IGNORED;
    case SCORE_SET:
      if (name === 'ProductID') return PRODUCT_ID;
      if (name === 'BaseScore') return BASE_SCORE;
      return name === 'Vector' ? VECTOR : IGNORED;
    case REMEDIATIONS:
      return name === 'Remediation' ? REMEDIATION : IGNORED;
    case REMEDIATION:
      switch (name) {
        case 'ProductID':
          return PRODUCT_ID;
        case 'FixedBuild':
          return FIXED_BUILD;
        case 'Description':
          return DESCRIPTION;
        case 'URL':
          return URL;
        case 'Supercedence':
          return SUPERCEDENCE;
        case 'SubType':
          return SUB_TYPE;
        default:
          return IGNORED;
      }
    default:
      return IGNORED;
  }
}

/** Roles whose text is read, as a table indexed by role (a chain of comparisons showed in the profile). */
const IS_VALUE = new Uint8Array(FIXED_BUILD + 1);
for (const role of [
  PRODUCT_ID, FIXED_BUILD, NOTE, FULL_PRODUCT_NAME, DESCRIPTION, BASE_SCORE, VECTOR, URL, SUPERCEDENCE, SUB_TYPE, REVISION_NUMBER,
  REVISION_DATE, REVISION_DESCRIPTION, VULN_TITLE, VULN_CVE, DOCUMENT_TITLE, ID, VERSION, INITIAL_RELEASE, CURRENT_RELEASE,
]) {
  IS_VALUE[role] = 1;
}

/**
 * One Threat, ScoreSet, Remediation, Status or Revision being read (they never nest). Every field is
 * always present so all drafts share one hidden class: adding fields as they came made the stores
 * megamorphic and showed in the profile.
 */
interface ItemDraft {
  type: string | undefined;
  description: string | undefined;
  baseScore: string | undefined;
  vector: string | undefined;
  url: string | undefined;
  supercedence: string | undefined;
  subType: string | undefined;
  number: string | undefined;
  date: string | undefined;
  fixedBuilds: string[];
  productIds: string[];
}

type CvrfNote = CvrfVulnerability['notes'][number];

interface VulnerabilityDraft {
  ordinal: string | undefined;
  title: string | undefined;
  cve: string | undefined;
  notes: CvrfNote[];
  statuses: { type: string; productIds: string[] }[];
  threats: CvrfThreat[];
  scoreSets: CvrfScoreSet[];
  remediations: CvrfRemediation[];
  revisions: CvrfRevision[];
}

const newItem = (): ItemDraft => ({
  type: undefined,
  description: undefined,
  baseScore: undefined,
  vector: undefined,
  url: undefined,
  supercedence: undefined,
  subType: undefined,
  number: undefined,
  date: undefined,
  fixedBuilds: [],
  productIds: [],
});
const newVulnerability = (): VulnerabilityDraft => ({
  ordinal: undefined,
  title: undefined,
  cve: undefined,
  notes: [],
  statuses: [],
  threats: [],
  scoreSets: [],
  remediations: [],
  revisions: [],
});

/** Read the parts of a `cvrfdoc` that secwatch uses; tolerant of missing optional parts. */
export function readCvrfXml(text: string): CvrfDocument {
  const reader = new CvrfReader();
  const rootName = streamXml(text, reader);
  if (rootName !== 'cvrfdoc') throw new NotCvrfError(`root element is <${rootName}>, not <cvrf:cvrfdoc>`);
  return reader.result();
}

class CvrfReader implements XmlEvents {
  // Per open element (index = depth; 0 is the document): its role and which first-only children it has had.
  private readonly roles: number[] = [DOCUMENT];
  private readonly seen: number[] = [0];
  private depth = 0;
  // The element whose text is being read (values never nest: their children are IGNORED).
  private valueDepth = -1;
  private value = '';
  private valueHasChild = false;
  // Attributes of the FullProductName or Note being read. htmlparser2 passes a repeated attribute
  // again; the first counts, as it did in the attributes object the tree reader used.
  private attrId: string | undefined;
  private attrCpe: string | undefined;
  private attrType: string | undefined;
  private attrTitle: string | undefined;

  private title: string | undefined;
  private id: string | undefined;
  private version: string | undefined;
  private initialReleaseDate: string | undefined;
  private currentReleaseDate: string | undefined;
  private documentRevisions: CvrfRevision[] = [];
  private readonly products = new Map<string, { name: string; cpe?: string }>();
  private readonly vulnerabilities: CvrfVulnerability[] = [];
  private vulnerability: VulnerabilityDraft = newVulnerability();
  private item: ItemDraft = newItem();
  // Whose revisions a RevisionHistory's Revisions are (the document's or the vulnerability's).
  private revisions: CvrfRevision[] = [];

  open(name: string): void {
    const parent = this.depth;
    this.depth++;
    if (this.valueDepth === parent) this.valueHasChild = true;
    const parentRole = this.roles[parent]!;
    let role = parentRole === IGNORED ? IGNORED : roleOf(parentRole, name);
    if (role !== IGNORED && role < FIRST_ONLY_LIMIT) {
      const bit = 1 << role;
      const seen = this.seen[parent]!;
      if ((seen & bit) !== 0) role = IGNORED;
      else this.seen[parent] = seen | bit;
    }
    this.roles[this.depth] = role;
    this.seen[this.depth] = 0;
    if (role === IGNORED) return;
    if (IS_VALUE[role] === 1) {
      this.valueDepth = this.depth;
      this.value = '';
      this.valueHasChild = false;
      this.attrId = this.attrCpe = this.attrType = this.attrTitle = undefined;
      return;
    }
    switch (role) {
      case VULNERABILITY:
        this.vulnerability = newVulnerability();
        break;
      case REVISION_HISTORY:
        this.revisions = parentRole === VULNERABILITY ? this.vulnerability.revisions : this.documentRevisions;
        break;
      case REVISION:
      case STATUS:
      case THREAT:
      case SCORE_SET:
      case REMEDIATION:
        this.item = newItem();
        break;
    }
  }

  /** An attribute of the element just opened: only the few the wire shape carries are kept (the first of a name). */
  attribute(name: string, value: string): void {
    switch (this.roles[this.depth]!) {
      case VULNERABILITY:
        if (name === 'Ordinal') this.vulnerability.ordinal ??= value;
        return;
      case STATUS:
      case THREAT:
      case SCORE_SET:
      case REMEDIATION:
        if (name === 'Type') this.item.type ??= value;
        return;
      case NOTE:
        if (name === 'Type') this.attrType ??= value;
        else if (name === 'Title') this.attrTitle ??= value;
        return;
      case FULL_PRODUCT_NAME:
        if (name === 'ProductID') this.attrId ??= value;
        else if (name === 'CPE') this.attrCpe ??= value;
        return;
    }
  }

  text(data: string): void {
    if (this.depth === this.valueDepth && (!this.valueHasChild || data.trim() !== '')) this.value += data;
  }

  close(): void {
    const role = this.roles[this.depth]!;
    this.depth--;
    if (role === IGNORED) return;
    if (this.valueDepth === this.depth + 1) {
      this.valueDepth = -1;
      this.readValue(role, this.value.trim());
      return;
    }
    const item = this.item;
    const v = this.vulnerability;
    switch (role) {
      case VULNERABILITY:
        this.vulnerabilities.push({
          ...opt('ordinal', v.ordinal),
          ...opt('title', v.title),
          ...opt('cve', v.cve),
          notes: v.notes,
          statuses: v.statuses,
          threats: v.threats,
          scoreSets: v.scoreSets,
          remediations: v.remediations,
          revisions: v.revisions,
        });
        break;
      case REVISION:
        if (item.number !== undefined && item.date !== undefined) {
          this.revisions.push({ number: item.number, date: item.date, ...opt('description', item.description) });
        }
        break;
      case STATUS:
        v.statuses.push({ type: item.type ?? '', productIds: item.productIds });
        break;
      case THREAT:
        v.threats.push(threatOf(item));
        break;
      case SCORE_SET:
        v.scoreSets.push(scoreSetOf(item));
        break;
      case REMEDIATION:
        v.remediations.push(remediationOf(item));
        break;
    }
  }

  /** A value element's trimmed text, into what it belongs to. */
  private readValue(role: number, text: string): void {
    const value = text === '' ? undefined : text;
    switch (role) {
      case PRODUCT_ID:
        if (value !== undefined) this.item.productIds.push(value);
        return;
      case FIXED_BUILD:
        if (value !== undefined) this.item.fixedBuilds.push(value);
        return;
      case NOTE: {
        const note: Building<CvrfNote> = {};
        if (this.attrType !== undefined) note.type = this.attrType;
        if (this.attrTitle !== undefined) note.title = this.attrTitle;
        note.text = text;
        this.vulnerability.notes.push(note as CvrfNote);
        return;
      }
      case FULL_PRODUCT_NAME: {
        const id = this.attrId;
        if (id === undefined || value === undefined) return;
        const cpe = this.attrCpe ?? this.products.get(id)?.cpe;
        this.products.set(id, cpe === undefined ? { name: value } : { name: value, cpe });
        return;
      }
      case DESCRIPTION:
      case REVISION_DESCRIPTION:
        this.item.description = value;
        return;
      case BASE_SCORE:
        this.item.baseScore = value;
        return;
      case VECTOR:
        this.item.vector = value;
        return;
      case URL:
        this.item.url = value;
        return;
      case SUPERCEDENCE:
        this.item.supercedence = value;
        return;
      case SUB_TYPE:
        this.item.subType = value;
        return;
      case REVISION_NUMBER:
        this.item.number = value;
        return;
      case REVISION_DATE:
        this.item.date = value;
        return;
      case VULN_TITLE:
        this.vulnerability.title = value;
        return;
      case VULN_CVE:
        this.vulnerability.cve = value;
        return;
      case DOCUMENT_TITLE:
        this.title = value;
        return;
      case ID:
        this.id = value;
        return;
      case VERSION:
        this.version = value;
        return;
      case INITIAL_RELEASE:
        this.initialReleaseDate = value;
        return;
      case CURRENT_RELEASE:
        this.currentReleaseDate = value;
        return;
    }
  }

  result(): CvrfDocument {
    const id = this.id;
    if (id === undefined) throw new NotCvrfError('DocumentTracking/Identification/ID is missing');
    return {
      title: this.title ?? id,
      tracking: {
        id,
        ...opt('version', this.version),
        revisions: this.documentRevisions,
        ...opt('initialReleaseDate', this.initialReleaseDate),
        ...opt('currentReleaseDate', this.currentReleaseDate),
      },
      products: this.products,
      vulnerabilities: this.vulnerabilities,
    };
  }
}

// The wire objects below are built by assignment in the old reader's key order: `{ ...opt() }`
// spreads, ~20,000 a month, showed in the profile.
type Building<T> = { -readonly [K in keyof T]?: T[K] };

const threatOf = (item: ItemDraft): CvrfThreat =>
  item.description === undefined
    ? { type: item.type ?? '', productIds: item.productIds }
    : { type: item.type ?? '', description: item.description, productIds: item.productIds };

function scoreSetOf(item: ItemDraft): CvrfScoreSet {
  const set: Building<CvrfScoreSet> = {};
  if (item.baseScore !== undefined) set.baseScore = item.baseScore;
  if (item.vector !== undefined) set.vector = item.vector;
  set.productIds = item.productIds;
  return set as CvrfScoreSet;
}

function remediationOf(item: ItemDraft): CvrfRemediation {
  const r: Building<CvrfRemediation> = { type: item.type ?? '' };
  if (item.description !== undefined) r.description = item.description;
  if (item.url !== undefined) r.url = item.url;
  if (item.supercedence !== undefined) r.supercedence = item.supercedence;
  if (item.subType !== undefined) r.subType = item.subType;
  r.fixedBuilds = item.fixedBuilds;
  r.productIds = item.productIds;
  return r as CvrfRemediation;
}

/** `{ key: value }` when value is defined, else `{}` (exactOptionalPropertyTypes). */
function opt<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return value === undefined ? {} : ({ [key]: value } as { [P in K]: V });
}
