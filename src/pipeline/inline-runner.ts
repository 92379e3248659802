import { DEFAULT_REMIND_EVERY_MS, remindDueLogged } from '../remind/index.js';
import type { Source } from '../sources/source.js';
import { processSource, type SourceReport } from './cycle.js';
import { deliverDue } from './deliver-alerts.js';
import type { Deps } from './deps.js';

const MAX_SLEEP_MS = 60_000;

/**
 * The inline runner: one process, a scheduler loop. Each source is polled on its own interval
 * (plus up to 10 % jitter so many sources do not fire together), at most `runner.concurrency`
 * at a time; due reminders are recorded every `runner.remindEvery` and due deliveries (new and
 * retries) go out after every round. Stops when `signal`
 * aborts, after finishing the work in hand.
 */
export async function runInline(
  deps: Deps,
  signal: AbortSignal,
  onReport: (report: SourceReport) => void = () => {},
): Promise<void> {
  const nextDue = new Map<string, number>(deps.sources.map((s) => [s.id, 0]));
  const running = new Set<string>();
  const inFlight = new Set<Promise<void>>();
  let lastRemindAt = Number.NEGATIVE_INFINITY;

  const launch = (source: Source): void => {
    running.add(source.id);
    const job = processSource(deps, source)
      .then(onReport)
      .finally(() => {
        running.delete(source.id);
        nextDue.set(source.id, deps.clock.now().getTime() + source.config.interval * (1 + 0.1 * deps.random()));
        inFlight.delete(job);
      });
    inFlight.add(job);
  };

  while (!signal.aborted) {
    const now = deps.clock.now().getTime();
    for (const source of deps.sources) {
      if (!source.config.enabled || running.has(source.id)) continue;
      if (running.size >= deps.config.runner.concurrency) break;
      if ((nextDue.get(source.id) ?? 0) <= now) launch(source);
    }
    if (inFlight.size > 0) await Promise.race(inFlight);
    // Reminders are days apart: looking every runner.remindEvery finds each on its day.
    if (now - lastRemindAt >= (deps.config.runner.remindEvery ?? DEFAULT_REMIND_EVERY_MS)) {
      lastRemindAt = now;
      await remindDueLogged(deps);
    }
    await deliverDue(deps);
    if (inFlight.size === 0) await sleep(untilNext(deps, nextDue, now), signal);
  }
  await Promise.allSettled(inFlight);
}

function untilNext(deps: Deps, nextDue: ReadonlyMap<string, number>, now: number): number {
  const soonest = Math.min(...deps.sources.filter((s) => s.config.enabled).map((s) => nextDue.get(s.id) ?? now), now + MAX_SLEEP_MS);
  return Math.max(0, soonest - now);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
