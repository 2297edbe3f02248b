export * from './legal-basis.js';
export * from './measure-kinds.js';
export * from './proportionality.js';
export * from './lifting.js';
export * from './lifecycle.js';
