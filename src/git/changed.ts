import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AimqError } from '../errors/index.js';

/** What changed in a project since a git ref. */
export interface Changes {
  /**
   * Why every release counts as changed (the config or a template, shared assets included,
   * changed: every page and e-mail may look different); undefined when only some did.
   */
  everything?: string;
  /** Names of the release folders with a change, including folders added or removed since the ref. */
  releases: Set<string>;
  /**
   * The release folders named on the command line, when some were: the build has those
   * only, so `releases` is among them (with `everything`, it is all of them).
   */
  named?: ReadonlySet<string>;
}

/**
 * The changes as seen by a build of the named release folders only: a changed release
 * that was not named is not part of it (nor "removed" from it).
 */
export function amongNamed(changes: Changes, named: ReadonlySet<string>): Changes {
  const releases =
    changes.everything === undefined ? [...changes.releases].filter((id) => named.has(id)) : [...named];
  return { ...changes, releases: new Set(releases), named };
}

/**
 * Runs git in `root`; a failure becomes AIMQ-USAGE (exit 2) naming `option` and the ref,
 * since the usual cause is a ref that does not exist here (a shallow CI clone).
 */
export function gitIn(root: string, option: string, ref: string): (args: string[]) => string {
  return (args) => {
    try {
      return execFileSync('git', args, {
        cwd: root,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        maxBuffer: 256 * 1024 * 1024,
      });
    } catch (err) {
      const stderr = String((err as { stderr?: string }).stderr ?? '')
        .trim()
        .split('\n')[0];
      throw new AimqError(
        'AIMQ-USAGE',
        {
          fr: `${option} ${ref}\u00a0: git n’a pas pu comparer (${stderr || (err as Error).message})`,
          en: `${option} ${ref}: git could not compare (${stderr || (err as Error).message})`,
        },
        {
          hint: {
            fr: 'donnez une branche, une étiquette ou un commit qui existe ici (en CI, récupérez-le d’abord\u00a0: git fetch origin main)',
            en: 'give a branch, tag or commit that exists here (in CI, fetch it first: git fetch origin main)',
          },
        },
      );
    }
  };
}

/** Throws AIMQ-USAGE (exit 2) naming `option` and `ref` unless `ref` names a commit here. */
export function verifyRef(root: string, ref: string, option: string): string {
  if (!ref.trim())
    throw new AimqError(
      'AIMQ-USAGE',
      { fr: `${option} demande une référence git`, en: `${option} needs a git ref` },
      {
        hint: {
          fr: `par exemple ${option} origin/main (une branche, une étiquette ou un commit)`,
          en: `for example ${option} origin/main (a branch, tag or commit)`,
        },
      },
    );
  try {
    return execFileSync('git', ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    }).trim();
  } catch (err) {
    const stderr = String((err as { stderr?: string }).stderr ?? '')
      .trim()
      .split('\n')[0];
    if (/not a git repository/i.test(stderr ?? '') || (err as { code?: string }).code === 'ENOENT')
      throw new AimqError(
        'AIMQ-USAGE',
        {
          fr: `${option} ${ref}\u00a0: ce projet n’est pas dans un dépôt git`,
          en: `${option} ${ref}: this project is not in a git repository`,
        },
        {
          hint: {
            fr: `${option} compare avec l’historique git du projet\u00a0: lancez aimq dans un clone du dépôt (et git doit être dans le PATH)`,
            en: `${option} compares with the project's git history: run aimq in a clone of the repository (with git on the PATH)`,
          },
        },
      );
    throw new AimqError(
      'AIMQ-USAGE',
      {
        fr: `${option} ${ref}\u00a0: ${stderr || 'git ne connaît ici aucun commit de ce nom'}`,
        en: `${option} ${ref}: ${stderr || 'git knows no commit by that name here'}`,
      },
      {
        hint: {
          fr: 'donnez une branche, une étiquette ou un commit qui existe ici (en CI, récupérez-le d’abord avec assez d’historique\u00a0: git fetch origin main)',
          en: 'give a branch, tag or commit that exists here (in CI, fetch it first with enough history: git fetch origin main)',
        },
      },
    );
  }
}

/**
 * The changes since `ref`: committed, uncommitted and untracked, as `git diff <ref>` sees
 * the working tree. `option` names the command-line option in messages. Throws AIMQ-USAGE
 * when git cannot resolve the ref or `root` is not in a git work tree.
 */
export function changesSince(root: string, ref: string, option = '--changed-since'): Changes {
  const git = gitIn(root, option, ref);
  verifyRef(root, ref, option);
  // -z: paths as they are, NUL-separated. Without it git quotes a path with a non-ASCII
  // character ("releases/x/\303\251quipe.png"), which then matched no release folder.
  const changed = [
    ...git(['diff', '-z', '--name-only', '--relative', '--no-renames', ref, '--']).split('\0'),
    ...git(['ls-files', '-z', '--others', '--exclude-standard']).split('\0'),
  ].filter(Boolean);
  const releases = new Set<string>();
  for (const p of changed) {
    const m = /^releases\/([^/]+)\//.exec(p);
    if (m) releases.add(m[1]!);
  }
  const shared = changed.find((p) => p === 'aimq.config.yaml' || p.startsWith('templates/'));
  return shared === undefined ? { releases } : { everything: shared, releases };
}

/**
 * The release folders changed since `ref` (committed, uncommitted and untracked changes),
 * for checking only what a pull request touches. A change to the config or the templates
 * changes every release. Returns absolute folder paths that still exist.
 */
export function releasesChangedSince(root: string, ref: string, allReleases: readonly string[]): string[] {
  const changes = changesSince(root, ref);
  if (changes.everything !== undefined) return [...allReleases];
  const dirs = new Set<string>();
  for (const id of changes.releases) {
    if (existsSync(join(root, 'releases', id))) dirs.add(join(root, 'releases', id));
  }
  return allReleases.filter((d) => dirs.has(d));
}
