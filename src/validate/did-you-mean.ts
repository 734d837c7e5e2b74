/** @deprecated Moved to src/schema/did-you-mean.ts; kept for the modules of other branches. */
export { didYouMean } from '../schema/did-you-mean.js';
