import { openStore, type QuarantineEntry } from '../../store/index.js';
import { loadCliConfig } from '../config-option.js';

export interface QuarantineCommandOptions {
  readonly config?: string;
  readonly source?: string;
  readonly json?: boolean;
}

/** `secwatch quarantine`: the documents that failed their source's verify policy, newest first. */
export async function quarantineCommand(options: QuarantineCommandOptions): Promise<number> {
  const config = loadCliConfig(options.config);
  const store = await openStore(config.storeUrl);
  try {
    const entries = await store.listQuarantine(options.source ? { sourceId: options.source } : {});
    process.stdout.write(options.json ? `${JSON.stringify(entries, null, 2)}\n` : formatQuarantine(entries));
    return 0;
  } finally {
    await store.close();
  }
}

/** One block per document: when, which source, the verdict and the document, then why. */
export function formatQuarantine(entries: readonly QuarantineEntry[]): string {
  const lines = [`secwatch: ${entries.length} document(s) in quarantine`];
  for (const e of entries) lines.push(`${e.quarantinedAt}  ${e.sourceId}  ${e.status}  ${e.url}`, `    ${e.reason}`, `    sha256 ${e.sha256}`);
  return `${lines.join('\n')}\n`;
}
