export * from './severity.js';
export type * from './advisory.js';
export type * from './raw-document.js';
export type * from './inventory.js';
export type * from './match.js';
export * from './subscription.js';
