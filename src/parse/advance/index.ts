export { parseAdvance, parseAdvanceSync } from './to-advisory.js';
