export { normalizeAdvisory } from './normalize.js';
export { rateAdvisory, severityFromVendorWord, severityFromCvssScore, type Rating } from './severity.js';
export { computeApplyBy, earliest, MSRC_CLASSIC, type ApplyBy, type ApplyByPolicy, type ApplyByContext, type ApplyByRuleName } from './apply-by.js';
