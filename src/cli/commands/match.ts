import { readFile } from 'node:fs/promises';
import { describeError } from '../../errors.js';
import type { InventoryFormat } from '../../inventory/collect.js';
import { formatRowError } from '../../inventory/collect.js';
import { loadInventoryFile } from '../../inventory/load.js';
import { detectFormat, parseInventory } from '../../inventory/read.js';
import type { InventoryItem } from '../../model/inventory.js';
import { buildAliasTable, buildInventoryIndex, matchAdvisory } from '../../match/index.js';
import type { Advisory } from '../../model/advisory.js';
import type { ApplyByPolicy } from '../../normalize/apply-by.js';
import { loadConfigFile } from '../../config/load.js';
import { CliFailure } from '../failure.js';

/** The inventory is a file, not the config: `secwatch match` is a stage tool that needs no config. */
export interface MatchCommandOptions {
  readonly inventory: string;
  /** Same choices and detection as `secwatch inventory import` (extension, else content). */
  readonly format?: InventoryFormat;
  /** Optional config: its inventory.aliases, matching.keywords and policy apply. */
  readonly config?: string;
}

/** The default policy of the config schema, so `secwatch match` needs no config file. */
const DEFAULT_POLICY: ApplyByPolicy = { rules: ['msrc-classic', 'kev'], clockStart: 'release' };

/** `secwatch match --inventory FILE [ADVISORIES.jsonl | -]`: one JSON line per match (DESIGN.md). */
export async function matchCommand(input: string | undefined, options: MatchCommandOptions): Promise<number> {
  const items = await readMatchInventory(options.inventory, options.format);
  const config = options.config === undefined ? undefined : loadConfigFile(options.config);
  const index = buildInventoryIndex(items, buildAliasTable(config?.inventory.aliases ?? {}), { keywords: config?.matching.keywords ?? [] });
  const policy: ApplyByPolicy = config ? { rules: config.policy.applyBy, clockStart: config.policy.clockStart } : DEFAULT_POLICY;
  const name = input === undefined || input === '-' ? '(stdin)' : input;
  let text: string;
  try {
    text = name === '(stdin)' ? await readStdin() : await readFile(name, 'utf8');
  } catch (err) {
    throw new CliFailure(2, `${name}: cannot read: ${describeError(err)}`);
  }
  const out: string[] = [];
  for (const [i, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    let advisory: Advisory;
    try {
      advisory = JSON.parse(line) as Advisory;
    } catch (err) {
      throw new CliFailure(2, `${name}:${i + 1}: not a JSON advisory: ${describeError(err)}`);
    }
    if (typeof advisory !== 'object' || advisory === null || typeof advisory.id !== 'string' || !Array.isArray(advisory.products)) {
      throw new CliFailure(2, `${name}:${i + 1}: not an advisory (secwatch parse prints one per line)`);
    }
    for (const m of matchAdvisory(advisory, index, policy)) {
      out.push(JSON.stringify({ advisoryId: m.advisoryId, item: m.item, reason: m.reason, confidence: m.confidence, applyBy: m.applyBy, applyByRule: m.applyByRule }));
    }
  }
  process.stdout.write(out.length > 0 ? `${out.join('\n')}\n` : '');
  return 0;
}

/**
 * YAML keeps the config's reader (items may name their own collections, one bad item fails the
 * file); CSV and CycloneDX use the import's readers: bad rows are reported on stderr and skipped,
 * and a file with no good row at all exits 1, like `inventory import`.
 */
async function readMatchInventory(file: string, format: InventoryFormat | undefined): Promise<readonly InventoryItem[]> {
  let body: string;
  try {
    body = await readFile(file, 'utf8');
  } catch (err) {
    throw new CliFailure(2, `${file}: cannot read inventory: ${describeError(err)}`);
  }
  const chosen = format ?? detectFormat(file, body);
  if (chosen === 'yaml') return loadInventoryFile(file);
  const read = parseInventory(body, file, { format: chosen });
  for (const e of read.errors) process.stderr.write(`secwatch: ${formatRowError(e)}\n`);
  if (read.items.length === 0 && read.errors.length > 0) throw new CliFailure(1, `${file}: no usable inventory item (${read.errors.length} row error(s))`);
  return read.items;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}
