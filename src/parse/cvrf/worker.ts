// The CVRF reader thread (started by off-thread.ts): reads each document it is sent and answers
// with a WorkerReply, one at a time.
import { parentPort } from 'node:worker_threads';
import { describeError, ParseError } from '../../errors.js';
import { cvrfToAdvisories } from './to-advisory.js';
import type { WorkerReply, WorkerRequest } from './worker-protocol.js';

function read({ id, doc }: WorkerRequest): WorkerReply {
  try {
    return { id, ok: true, advisories: cvrfToAdvisories(doc) };
  } catch (err) {
    return err instanceof ParseError
      ? { id, ok: false, message: err.message, ...(err.where === undefined ? {} : { where: err.where }) }
      : { id, ok: false, message: `unexpected error: ${describeError(err)}` };
  }
}

parentPort?.on('message', (request: WorkerRequest) => parentPort?.postMessage(read(request)));
