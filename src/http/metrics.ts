import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { Source } from '../sources/source.js';
import type { SourceReport } from '../pipeline/cycle.js';
import type { Store } from '../store/store.js';

/** Prometheus metrics: counters fed by the runner's reports, gauges read from the store on scrape. */
export interface Metrics {
  readonly registry: Registry;
  /** Count one source's poll outcome (the inline runner calls this after every poll). */
  recordReport(report: SourceReport): void;
}

export function createMetrics(store: Store, sources: readonly Source[]): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'secwatch_process_' });
  const polls = new Counter({ name: 'secwatch_polls_total', help: 'Source polls by outcome', labelNames: ['source', 'outcome'], registers: [registry] });
  const items = new Counter({ name: 'secwatch_items_total', help: 'Items stored by change kind', labelNames: ['source', 'change'], registers: [registry] });
  new Gauge({
    name: 'secwatch_source_last_success_timestamp_seconds',
    help: 'Unix time of the last successful poll of each source',
    labelNames: ['source'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const s of sources) {
        const state = await store.getSourceState(s.id);
        if (state?.lastSuccessAt) this.set({ source: s.id }, Date.parse(state.lastSuccessAt) / 1000);
      }
    },
  });
  new Gauge({
    name: 'secwatch_source_failing',
    help: '1 when the last poll of a source failed',
    labelNames: ['source'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const s of sources) this.set({ source: s.id }, (await store.getSourceState(s.id))?.lastError ? 1 : 0);
    },
  });
  new Gauge({
    name: 'secwatch_deliveries_open',
    help: 'Deliveries not sent yet (pending, retry) or given up (failed)',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      for (const status of ['pending', 'retry', 'failed'] as const) {
        this.set({ status }, (await store.listDeliveries({ status, limit: 100_000 })).length);
      }
    },
  });
  return {
    registry,
    recordReport(report) {
      polls.inc({ source: report.sourceId, outcome: report.status });
      if (report.status !== 'ok') return;
      for (const [change, n] of Object.entries(report.advisories)) if (n > 0) items.inc({ source: report.sourceId, change }, n);
    },
  };
}
