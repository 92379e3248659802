import { EventEmitter } from 'node:events';

/**
 * One request's deadline: a single timer that aborts the request (connect, headers and body alike)
 * when it fires, or when the caller's own signal aborts. undici's request() takes an EventEmitter
 * with `aborted`/`reason` as its signal (documented beside AbortSignal); that costs a fraction of
 * `AbortSignal.timeout()` + `AbortSignal.any()`, which the poll benchmark's profile showed as a
 * visible share of a 304 poll's CPU.
 */
export class Deadline extends EventEmitter {
  aborted = false;
  reason: Error | undefined = undefined;
  private readonly timer: NodeJS.Timeout;
  private readonly follow: (() => void) | undefined;
  private rejectWaiting: ((reason: Error) => void) | undefined;

  constructor(
    timeoutMs: number,
    private readonly outer: AbortSignal | undefined,
  ) {
    super();
    // The name "TimeoutError" is what classify.ts reads as "no answer in time".
    this.timer = setTimeout(() => this.abort(new DOMException(`no answer within ${timeoutMs} ms`, 'TimeoutError')), timeoutMs);
    if (!outer) return;
    this.follow = () => this.abort(outer.reason as Error);
    if (outer.aborted) this.follow();
    else outer.addEventListener('abort', this.follow, { once: true });
  }

  /** Stop the timer and forget the caller's signal; call once the answer was read. */
  clear(): void {
    clearTimeout(this.timer);
    if (this.follow) this.outer?.removeEventListener('abort', this.follow);
  }

  /**
   * `pending`, or the deadline's reason once it passes, whichever comes first. undici notices an
   * abort only once the request is on a socket: a connect that hangs would otherwise outlive a
   * source's own `timeout` and wait for the Agent's connect timeout (the global `fetch.timeout`).
   */
  race<T>(pending: Promise<T>): Promise<T> {
    if (this.aborted) {
      pending.catch(() => undefined); // undici rejects it too, once it gets that far
      return Promise.reject(this.reason ?? new Error('aborted'));
    }
    return new Promise<T>((resolve, reject) => {
      this.rejectWaiting = reject;
      pending.then(
        (value) => {
          this.rejectWaiting = undefined;
          resolve(value);
        },
        (err: Error) => {
          this.rejectWaiting = undefined;
          reject(err);
        },
      );
    });
  }

  private abort(reason: Error): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.emit('abort');
    this.rejectWaiting?.(reason);
  }
}
