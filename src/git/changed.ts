import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AimqError } from '../errors/index.js';

/**
 * The release folders changed since `ref` (committed, uncommitted and untracked changes),
 * for checking only what a pull request touches. A change to the config or the templates
 * changes every release. Returns absolute folder paths that still exist.
 */
export function releasesChangedSince(root: string, ref: string, allReleases: readonly string[]): string[] {
  const git = (args: string[]) => {
    try {
      return execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (err) {
      const stderr = String((err as { stderr?: string }).stderr ?? '')
        .trim()
        .split('\n')[0];
      throw new AimqError(
        'AIMQ-USAGE',
        `--changed-since ${ref}: git could not compare (${stderr || (err as Error).message})`,
        {
          hint: 'give a branch, tag or commit that exists here (in CI, fetch it first: git fetch origin main)',
        },
      );
    }
  };
  // `git diff <ref>` compares with the working tree: commits since ref and uncommitted edits.
  const changed = [
    ...git(['diff', '--name-only', '--relative', ref, '--']).split('\n'),
    ...git(['ls-files', '--others', '--exclude-standard']).split('\n'),
  ]
    .map((p) => p.trim())
    .filter(Boolean);
  if (changed.some((p) => p === 'aimq.config.yaml' || p.startsWith('templates/'))) return [...allReleases];
  const dirs = new Set<string>();
  for (const p of changed) {
    const m = /^releases\/([^/]+)\//.exec(p);
    if (m && existsSync(join(root, 'releases', m[1]!))) dirs.add(join(root, 'releases', m[1]!));
  }
  return allReleases.filter((d) => dirs.has(d));
}
