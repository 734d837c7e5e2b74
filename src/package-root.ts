import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * aimq's own folder, where its package.json and templates/ are. Found by walking up from
 * this module, which runs from src/ (tests), dist/ (compiled) or dist/bundle/chunks/ (the
 * bundle bin/aimq.js loads), so no depth is assumed.
 */
export const PACKAGE_ROOT: string = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`aimq's package.json not found above ${from}`);
  }
}
