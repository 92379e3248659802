// Entry of a child process serving `count` one-entry KEV catalogs at /kev/<i>.json (kev-server.ts),
// so a benchmark's own CPU time holds the client's work only. Sends { url } once listening; ends
// when the parent disconnects. Started by startKevServerProcess().
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { corpusKevEntries, startKevServer } from './kev-server.js';

export interface KevServerProcess {
  readonly url: string;
  readonly paths: readonly string[];
  close(): Promise<void>;
}

const pathOf = (i: number): string => `/kev/${i}.json`;

export async function startKevServerProcess(count: number): Promise<KevServerProcess> {
  const child = fork(fileURLToPath(import.meta.url), [String(count)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (m) => resolve((m as { url: string }).url));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`KEV server process exited (${code}) before listening`)));
  });
  return {
    url,
    paths: Array.from({ length: count }, (_, i) => pathOf(i)),
    close: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.disconnect();
      }),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.send) {
  const count = Number(process.argv[2]);
  const server = await startKevServer();
  const entries = corpusKevEntries();
  // One real entry per catalog, a different one each: small, distinct documents.
  for (let i = 0; i < count; i++) server.publish(pathOf(i), [entries[i % entries.length]!]);
  process.once('disconnect', () => void server.close().then(() => process.exit(0)));
  process.send({ url: server.url });
}
