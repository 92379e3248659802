export { alsoReportedBy, logicalItemOf, mergeAdvisories, mergeGroup, type LogicalItem, type Provenance } from './logical-item.js';
export { holdBackRepeatedAlerts, type MergedAlert } from './repeated-alerts.js';
