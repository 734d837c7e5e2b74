/**
 * @deprecated Release discovery lives in src/load/discover.ts, beside the loader that
 * enforces what a release folder may contain; kept for the modules of other branches.
 */
export { findReleaseDirs, releaseAssets, releaseFiles } from '../load/discover.js';
