// Inventory from a CycloneDX JSON SBOM (https://cyclonedx.org/docs/1.6/json/): every component,
// nested ones too, becomes an item; secwatch's own fields ride in `secwatch:*` properties.
import { ParseError } from '../errors.js';
import { createCollector, type InventoryRead } from './collect.js';
import { CSV_COLUMNS, textFields, type Column } from './text-fields.js';

/** `secwatch:instances`, `secwatch:exposed`, …: the operator's fields, the CycloneDX way (properties). */
const PROPERTY_PREFIX = 'secwatch:';
const PROPERTY_FIELDS = new Map<string, Column>(CSV_COLUMNS.map((c) => [`${PROPERTY_PREFIX}${c}`.toLowerCase(), c]));

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

/**
 * Parse an SBOM; a file that is not a CycloneDX JSON BOM fails whole (ParseError), a bad component
 * is one error naming its path ("components[2].components[0]") and bom-ref. The BOM's subject
 * (`metadata.component`) and `services` are not inventory items.
 */
export function readInventoryCycloneDx(body: string, file: string, collection: string): InventoryRead {
  let bom: unknown;
  try {
    bom = JSON.parse(body);
  } catch (err) {
    throw new ParseError('cyclonedx', `${file}: not JSON: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  if (!isObject(bom) || bom.bomFormat !== 'CycloneDX') throw new ParseError('cyclonedx', `${file}: not a CycloneDX BOM ("bomFormat": "CycloneDX" missing)`);
  if (typeof bom.specVersion !== 'string' || !/^1\.\d+$/.test(bom.specVersion)) {
    throw new ParseError('cyclonedx', `${file}: specVersion ${JSON.stringify(bom.specVersion)} is not a CycloneDX 1.x version`);
  }
  if (bom.components !== undefined && !Array.isArray(bom.components)) throw new ParseError('cyclonedx', `${file}: "components" is not a list`);

  const out = createCollector(file, 'cyclonedx', collection);
  // A dependency tree lists the same package under several parents: the same item again is not an error.
  const kept = new Map<string, string>();
  const walk = (list: readonly unknown[], path: string): void => {
    list.forEach((component, i) => {
      const at = `${path}[${i}]`;
      if (!isObject(component)) {
        out.fail(at, 'not a component object');
        return;
      }
      const ref = text(component['bom-ref']);
      const where = ref === undefined ? at : `${at} (bom-ref "${ref}")`;
      const converted = toCandidate(component);
      if ('problem' in converted) out.fail(where, converted.problem);
      else {
        const key = JSON.stringify(converted.candidate);
        const name = String(converted.candidate.name);
        if (kept.get(name) !== key) {
          kept.set(name, key);
          out.add(where, converted.candidate);
        }
      }
      if (component.components !== undefined) {
        if (Array.isArray(component.components)) walk(component.components, `${at}.components`);
        else out.fail(where, '"components" is not a list');
      }
    });
  };
  walk((bom.components as unknown[] | undefined) ?? [], 'components');
  return out.result();
}

/**
 * Component → inventory fields: name "[group/]name[@version]" (unique per package version),
 * vendor from supplier, manufacturer or publisher, product = component name, version, purl, cpe;
 * any `secwatch:<field>` property sets (or overrides) that field.
 */
function toCandidate(c: Json): { candidate: Record<string, unknown> } | { problem: string } {
  const componentName = text(c.name);
  if (componentName === undefined) return { problem: 'the component has no "name"' };
  const group = text(c.group);
  const version = text(c.version);
  const base: [Column, string][] = [
    ['name', `${group ? `${group}/` : ''}${componentName}${version ? `@${version}` : ''}`],
    ['vendor', vendorOf(c) ?? ''],
    ['product', componentName],
    ['version', version ?? ''],
    ['purl', text(c.purl) ?? ''],
    ['cpe', text(c.cpe) ?? ''],
  ];
  const fields = new Map<Column, string>(base);
  for (const property of Array.isArray(c.properties) ? c.properties : []) {
    if (!isObject(property) || typeof property.name !== 'string') continue;
    const field = PROPERTY_FIELDS.get(property.name.toLowerCase());
    if (field) fields.set(field, typeof property.value === 'string' ? property.value.trim() : '');
  }
  return textFields([...fields]);
}

function vendorOf(c: Json): string | undefined {
  for (const party of [c.supplier, c.manufacturer]) {
    const name = isObject(party) ? text(party.name) : undefined;
    if (name) return name;
  }
  return text(c.publisher);
}
