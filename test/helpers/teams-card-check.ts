// Structural checks of what we send to Teams, written from the published definitions (not from
// our code): Adaptive Card 1.4 (adaptivecards.io/schemas/1.4.0/adaptive-card.json: every object
// has additionalProperties false, enums below) and the legacy MessageCard reference
// (learn.microsoft.com/outlook/actionable-messages/message-card-reference). Returns the problems.

const COLORS = ['Default', 'Dark', 'Light', 'Accent', 'Good', 'Warning', 'Attention'];
const FONT_SIZES = ['Default', 'Small', 'Medium', 'Large', 'ExtraLarge'];
const FONT_WEIGHTS = ['Default', 'Lighter', 'Bolder'];
const SPACINGS = ['Default', 'None', 'Small', 'Medium', 'Large', 'ExtraLarge', 'Padding'];
/** Properties every element may have (Extendable.Element) plus each type's own, per the 1.4 schema. */
const ELEMENT_COMMON = ['type', 'fallback', 'height', 'separator', 'spacing', 'id', 'isVisible', 'requires'];
const TEXTBLOCK = [...ELEMENT_COMMON, 'text', 'color', 'fontType', 'horizontalAlignment', 'isSubtle', 'maxLines', 'size', 'weight', 'wrap'];
const FACTSET = [...ELEMENT_COMMON, 'facts'];
/** AdaptiveCard's own properties, and `msteams`, the Teams host extension (full-width cards). */
const CARD = ['type', 'version', 'refresh', 'body', 'actions', 'selectAction', 'fallbackText', 'backgroundImage', 'minHeight', 'speak', 'lang', 'verticalContentAlignment', '$schema', 'msteams'];
const OPEN_URL = ['type', 'url', 'title', 'iconUrl', 'style', 'fallback', 'requires', 'id'];

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function extra(o: Obj, allowed: readonly string[], at: string, out: string[]): void {
  for (const k of Object.keys(o)) if (!allowed.includes(k)) out.push(`${at}: property ${k} is not allowed`);
}

function oneOf(v: unknown, values: readonly string[], at: string, out: string[]): void {
  if (v !== undefined && !(typeof v === 'string' && values.includes(v))) out.push(`${at}: ${JSON.stringify(v)} is not one of ${values.join('|')}`);
}

/** Problems with a Workflows message carrying one Adaptive Card 1.4; empty when it conforms. */
export function adaptiveCardProblems(message: unknown): string[] {
  const out: string[] = [];
  if (!isObj(message) || message.type !== 'message' || !Array.isArray(message.attachments)) return ['not a {type: "message", attachments: [...]} object'];
  const att: unknown = message.attachments[0];
  if (message.attachments.length !== 1 || !isObj(att)) return ['expected exactly one attachment'];
  if (att.contentType !== 'application/vnd.microsoft.card.adaptive') out.push(`attachment contentType ${String(att.contentType)}`);
  const card = att.content;
  if (!isObj(card)) return [...out, 'attachment has no content object'];
  extra(card, CARD, 'AdaptiveCard', out);
  if (card.type !== 'AdaptiveCard') out.push('content.type is not AdaptiveCard');
  if (card.version !== '1.4') out.push(`version ${String(card.version)} is not 1.4`);
  if (typeof card.$schema !== 'string' || !/^https?:\/\//.test(card.$schema)) out.push('$schema is not a URI');
  if (!Array.isArray(card.body)) return [...out, 'body is not an array'];
  card.body.forEach((el: unknown, i) => {
    const at = `body[${i}]`;
    if (!isObj(el)) return void out.push(`${at}: not an object`);
    if (el.type === 'TextBlock') {
      extra(el, TEXTBLOCK, at, out);
      if (typeof el.text !== 'string') out.push(`${at}: text is required`);
      oneOf(el.color, COLORS, `${at}.color`, out);
      oneOf(el.size, FONT_SIZES, `${at}.size`, out);
      oneOf(el.weight, FONT_WEIGHTS, `${at}.weight`, out);
      oneOf(el.spacing, SPACINGS, `${at}.spacing`, out);
      if (el.wrap !== undefined && typeof el.wrap !== 'boolean') out.push(`${at}: wrap is not boolean`);
    } else if (el.type === 'FactSet') {
      extra(el, FACTSET, at, out);
      if (!Array.isArray(el.facts)) return void out.push(`${at}: facts is required`);
      el.facts.forEach((f: unknown, j) => {
        if (!isObj(f) || typeof f.title !== 'string' || typeof f.value !== 'string') out.push(`${at}.facts[${j}]: needs string title and value`);
        else extra(f, ['type', 'title', 'value'], `${at}.facts[${j}]`, out);
      });
    } else {
      out.push(`${at}: unexpected element type ${String(el.type)}`);
    }
  });
  if (card.actions !== undefined) {
    if (!Array.isArray(card.actions)) return [...out, 'actions is not an array'];
    card.actions.forEach((a: unknown, i) => {
      if (!isObj(a) || a.type !== 'Action.OpenUrl') return void out.push(`actions[${i}]: not an Action.OpenUrl`);
      extra(a, OPEN_URL, `actions[${i}]`, out);
      if (typeof a.url !== 'string' || !/^https?:\/\//.test(a.url)) out.push(`actions[${i}]: url is required (http/https)`);
    });
  }
  return out;
}

/** Problems with a legacy connector MessageCard; empty when it conforms. */
export function messageCardProblems(card: unknown): string[] {
  const out: string[] = [];
  if (!isObj(card)) return ['not an object'];
  if (card['@type'] !== 'MessageCard') out.push('@type is not MessageCard');
  if (card['@context'] !== 'https://schema.org/extensions') out.push('@context is not https://schema.org/extensions');
  // "summary is required if the card does not contain a text property"
  if (typeof card.summary !== 'string' && typeof card.text !== 'string') out.push('needs summary or text');
  if (card.themeColor !== undefined && !(typeof card.themeColor === 'string' && /^[0-9A-Fa-f]{6}$/.test(card.themeColor))) out.push('themeColor is not a hex colour');
  extra(card, ['@type', '@context', 'summary', 'themeColor', 'title', 'text', 'sections', 'potentialAction', 'correlationId', 'expectedActors', 'originator', 'hideOriginalBody'], 'MessageCard', out);
  if (card.sections !== undefined && !Array.isArray(card.sections)) out.push('sections is not an array');
  for (const [i, s] of (Array.isArray(card.sections) ? card.sections : []).entries()) {
    if (!isObj(s)) {
      out.push(`sections[${i}]: not an object`);
      continue;
    }
    extra(s, ['title', 'startGroup', 'activityImage', 'activityTitle', 'activitySubtitle', 'activityText', 'heroImage', 'text', 'facts', 'images', 'potentialAction', 'markdown'], `sections[${i}]`, out);
    if (s.facts !== undefined) {
      for (const f of Array.isArray(s.facts) ? s.facts : [null]) if (!isObj(f) || typeof f.name !== 'string' || typeof f.value !== 'string') out.push(`sections[${i}]: fact needs string name and value`);
    }
  }
  for (const [i, a] of (Array.isArray(card.potentialAction) ? card.potentialAction : []).entries()) {
    if (!isObj(a) || a['@type'] !== 'OpenUri' || typeof a.name !== 'string' || !Array.isArray(a.targets)) out.push(`potentialAction[${i}]: not an OpenUri with name and targets`);
    else for (const t of a.targets) if (!isObj(t) || typeof t.os !== 'string' || typeof t.uri !== 'string') out.push(`potentialAction[${i}]: target needs os and uri`);
  }
  return out;
}
