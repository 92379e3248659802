export { runCycle, processSource, type CycleSummary, type SourceReport } from './cycle.js';
export { runInline } from './inline-runner.js';
export { deliverDue, recordAlerts, backoffMs, MAX_ATTEMPTS } from './deliver-alerts.js';
export { planAlerts } from './plan-alerts.js';
export type { Deps } from './deps.js';
