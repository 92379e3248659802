import { StoreError, describeError } from '../errors.js';
import type { SourceState, Store } from '../store/store.js';
import type { PollStates } from './poll.js';

/**
 * A cycle's source states: every source's read in one query at the start, and the states of its
 * 304 polls kept in memory and saved in one transaction at the end — instead of a read and a write
 * per source (on a file store, one commit instead of one per source). A crash before that save
 * loses only those 304 states: the next poll sends the validators saved before, which the server
 * answers with a 304 again (or the same document, which ingest stores as unchanged). A 200 poll's
 * state is not kept here: `commit()` saves it at once, after its documents were ingested (poll.ts).
 */
export interface CycleStates extends PollStates {
  /** Save the 304 states kept so far, in one transaction; resolves to how many. */
  saveNotModified(): Promise<number>;
}

export async function readCycleStates(store: Store, sourceIds: readonly string[]): Promise<CycleStates> {
  // A failed read fails each source's poll with that error (each reported and recorded as it would
  // have been had it read its own row), rather than the whole cycle.
  const read = await store.getSourceStates(sourceIds).then(
    (known) => ({ known }),
    (err: unknown) => ({ failure: err instanceof Error ? err : new StoreError(`getSourceStates: ${describeError(err)}`) }),
  );
  let pending: SourceState[] = [];
  return {
    previous: (sourceId) => ('known' in read ? Promise.resolve(read.known.get(sourceId)) : Promise.reject(read.failure)),
    notModified: (state) => {
      pending.push(state);
      return Promise.resolve();
    },
    saveNotModified: async () => {
      const batch = pending;
      pending = [];
      await store.saveSourceStates(batch);
      return batch.length;
    },
  };
}
