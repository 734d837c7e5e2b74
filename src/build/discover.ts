import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { AimqError } from '../errors/index.js';

/** The release folders to work on: those named, or every folder under releases/. */
export function findReleaseDirs(root: string, cwd: string, named: readonly string[]): string[] {
  if (named.length) {
    return named.map((arg) => {
      const abs = resolve(cwd, arg);
      if (!existsSync(abs) || !statSync(abs).isDirectory()) {
        throw new AimqError('AIMQ-RELEASE-NOT-FOUND', `release folder not found: ${arg}`, {
          file: arg,
          hint: existsSync(abs)
            ? 'name the release folder, not a file in it'
            : 'list them with: ls releases/',
        });
      }
      if (relative(root, abs).startsWith('..')) {
        throw new AimqError('AIMQ-RELEASE-NOT-FOUND', `${arg} is outside the project folder ${root}`, {
          file: arg,
          hint: 'use -C to work in another project',
        });
      }
      return abs;
    });
  }
  const releases = join(root, 'releases');
  if (!existsSync(releases)) return [];
  return readdirSync(releases, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith('.'))
    .map((d) => join(releases, d.name))
    .sort();
}

/** Files of a release folder other than its editions: images and attachments, relative paths. */
export function releaseAssets(dirAbs: string): string[] {
  return releaseFiles(dirAbs).assets;
}

/** A release folder's files, in one walk: its editions (`*.md` at the top) and its assets, sorted. */
export function releaseFiles(dirAbs: string): { editions: string[]; assets: string[] } {
  const editions: string[] = [];
  const assets: string[] = [];
  const walk = (dir: string, prefix: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const rel = prefix + entry.name;
      if (entry.isDirectory()) walk(join(dir, entry.name), `${rel}/`);
      else if (entry.isFile()) (prefix === '' && entry.name.endsWith('.md') ? editions : assets).push(rel);
    }
  };
  walk(dirAbs, '');
  return { editions: editions.sort(), assets: assets.sort() };
}
