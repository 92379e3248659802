export { createAdvanceSource } from './advance-source.js';
