// Messages between off-thread.ts and the CVRF reader thread (worker.ts). An Error's class does not
// survive being posted between threads, so a ParseError travels as its message and location.
import type { ParsedAdvisory } from '../../model/advisory.js';
import type { RawDocument } from '../../model/raw-document.js';

export interface WorkerRequest {
  readonly id: number;
  readonly doc: RawDocument;
}

export type WorkerReply =
  | { readonly id: number; readonly ok: true; readonly advisories: ParsedAdvisory[] }
  | { readonly id: number; readonly ok: false; readonly message: string; readonly where?: string };
