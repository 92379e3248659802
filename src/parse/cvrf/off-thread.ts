// Reads CVRF documents in a worker thread (worker.ts), so a multi-MB month never blocks the event
// loop of the process that fetched it. One thread, started on first use and kept: starting a
// thread and loading the reader in it cost as much as reading a month (measured in bench/cvrf.ts).
// It is unref'd while idle, so it never keeps a process alive, and replaced if it dies.
import { Worker } from 'node:worker_threads';
import { ParseError } from '../../errors.js';
import type { ParsedAdvisory } from '../../model/advisory.js';
import type { RawDocument } from '../../model/raw-document.js';
import type { WorkerReply, WorkerRequest } from './worker-protocol.js';

// From source (tsx, vitest) the worker is worker.ts and needs tsx to load; compiled, worker.js.
const FROM_SOURCE = import.meta.url.endsWith('.ts');
const WORKER_URL = new URL(FROM_SOURCE ? './worker.ts' : './worker.js', import.meta.url);

/**
 * The thread's old generation is capped so a hostile document fails its own parse (the thread
 * dies, the parse is rejected with a ParseError) rather than exhausting the process. A month
 * needs well under 300 MB (bench/cvrf.ts measures peak RSS). The young generation may grow to
 * 128 MB: the streaming reader's garbage dies young, and with V8's default a month cost ~160 ms
 * CPU through the thread against ~130–140 ms with this (bench/RESULTS.md, cvrf). With the old
 * element tree, which survived to the old generation, it made no difference.
 */
const RESOURCE_LIMITS = { maxOldGenerationSizeMb: 1024, maxYoungGenerationSizeMb: 128 };

interface Pending {
  resolve(advisories: ParsedAdvisory[]): void;
  reject(err: ParseError): void;
}

let reader: { worker: Worker; pending: Map<number, Pending> } | undefined;
let nextId = 1;

function startReader(): NonNullable<typeof reader> {
  // From source, tsx's loader is registered inside the thread before worker.ts is imported: on
  // Node 20 `execArgv: ['--import', 'tsx']` did not reach a worker's entry module.
  const worker = FROM_SOURCE
    ? new Worker(`import('tsx/esm/api').then((tsx) => tsx.tsImport(${JSON.stringify(WORKER_URL.href)}, ${JSON.stringify(import.meta.url)}))`, {
        eval: true,
        resourceLimits: RESOURCE_LIMITS,
      })
    : new Worker(WORKER_URL, { resourceLimits: RESOURCE_LIMITS });
  const started = { worker, pending: new Map<number, Pending>() };
  worker.on('message', (reply: WorkerReply) => {
    const job = started.pending.get(reply.id);
    if (job === undefined) return;
    started.pending.delete(reply.id);
    if (started.pending.size === 0) worker.unref();
    if (reply.ok) job.resolve(reply.advisories);
    else job.reject(new ParseError('cvrf', reply.message, reply.where === undefined ? {} : { where: reply.where }));
  });
  // Out of memory under RESOURCE_LIMITS, or a bug: the documents in hand fail, named; the next
  // document gets a new thread.
  const fail = (cause: string, err?: Error): void => {
    if (reader === started) reader = undefined;
    for (const job of started.pending.values()) job.reject(new ParseError('cvrf', `CVRF reader thread ${cause}`, err ? { cause: err } : {}));
    started.pending.clear();
  };
  worker.on('error', (err) => fail(`failed: ${err.message}`, err));
  worker.on('exit', (code) => fail(`exited with code ${code} before answering`));
  return started;
}

export function parseCvrfOffThread(doc: RawDocument): Promise<ParsedAdvisory[]> {
  reader ??= startReader();
  const { worker, pending } = reader;
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    // Referenced while a document is in hand: `secwatch parse big.xml` must wait for its answer.
    worker.ref();
    const request: WorkerRequest = {
      id,
      doc: { sourceId: doc.sourceId, sourceKind: doc.sourceKind, url: doc.url, body: doc.body, fetchedAt: doc.fetchedAt },
    };
    worker.postMessage(request);
  });
}
