import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { AimqError } from '../errors/index.js';

export const RELEASE_FOLDER_RE = /^(\d{4}-\d{2}-\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)$/;

/** The release folders to work on: those named, or every folder under releases/. */
export function findReleaseDirs(root: string, cwd: string, named: readonly string[]): string[] {
  if (named.length) {
    return named.map((arg) => {
      const abs = resolve(cwd, arg);
      if (!existsSync(abs) || !statSync(abs).isDirectory()) {
        throw new AimqError(
          'AIMQ-RELEASE-NOT-FOUND',
          { fr: `dossier de communiqué introuvable\u00a0: ${arg}`, en: `release folder not found: ${arg}` },
          {
            file: arg,
            hint: existsSync(abs)
              ? {
                  fr: 'nommez le dossier du communiqué, pas un fichier qu’il contient',
                  en: 'name the release folder, not a file in it',
                }
              : { fr: 'pour les voir\u00a0: ls releases/', en: 'list them with: ls releases/' },
          },
        );
      }
      if (relative(root, abs).startsWith('..')) {
        throw new AimqError(
          'AIMQ-RELEASE-NOT-FOUND',
          {
            fr: `${arg} est hors du dossier du projet ${root}`,
            en: `${arg} is outside the project folder ${root}`,
          },
          {
            file: arg,
            hint: {
              fr: 'utilisez -C pour travailler dans un autre projet',
              en: 'use -C to work in another project',
            },
          },
        );
      }
      notAFolderOfReleases(root, abs, arg);
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

export interface ReleaseFiles {
  /** `*.md` at the top of the folder, sorted. */
  editions: string[];
  /** Every other file, relative paths with `/`, sorted. */
  assets: string[];
  /**
   * Symbolic links whose target is outside the release folder (or missing): never read,
   * never published, and an error for the loader, since following one would publish or
   * attach a file from anywhere on the machine.
   */
  outside: string[];
}

/**
 * A release folder's files, in one walk. A symbolic link counts only when its real path is
 * inside the release folder; a link to a folder is not followed (a loop costs nothing).
 */
export function releaseFiles(dirAbs: string): ReleaseFiles {
  const editions: string[] = [];
  const assets: string[] = [];
  const outside: string[] = [];
  const realRoot = realOrSelf(dirAbs);
  const walk = (dir: string, prefix: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const rel = prefix + entry.name;
      const abs = join(dir, entry.name);
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        const target = realInside(realRoot, abs);
        if (target === undefined) {
          outside.push(rel);
          continue;
        }
        isFile = statSync(target).isFile();
      } else if (entry.isDirectory()) {
        walk(abs, `${rel}/`);
        continue;
      }
      if (isFile) (prefix === '' && entry.name.endsWith('.md') ? editions : assets).push(rel);
    }
  };
  walk(dirAbs, '');
  return { editions: editions.sort(), assets: assets.sort(), outside: outside.sort() };
}

/** The real path of `abs` when it exists and is inside `realRoot` (itself a real path); else undefined. */
export function realInside(realRoot: string, abs: string): string | undefined {
  let real: string;
  try {
    real = realpathSync(abs);
  } catch {
    return undefined;
  }
  return real === realRoot || real.startsWith(realRoot + sep) ? real : undefined;
}

export function realOrSelf(abs: string): string {
  try {
    return realpathSync(abs);
  } catch {
    return abs;
  }
}

/**
 * `aimq release check releases` or `.`: the folder of every release, or the project, is
 * not a release. Read as one, it gave "release folder "releases" is not named
 * <yyyy-mm-dd>-<slug>" and "releases/fr.md is missing".
 */
function notAFolderOfReleases(root: string, abs: string, arg: string): void {
  const entries = readdirSync(abs, { withFileTypes: true });
  const isProject = realOrSelf(abs) === realOrSelf(root);
  if (!isProject && entries.some((e) => e.name.endsWith('.md') && !e.isDirectory())) return;
  const releasesOf = (dir: string) =>
    existsSync(dir)
      ? readdirSync(dir, { withFileTypes: true })
          .filter((e) => e.isDirectory() && RELEASE_FOLDER_RE.test(e.name))
          .map((e) => e.name)
          .sort()
      : [];
  const inside = releasesOf(isProject ? join(abs, 'releases') : abs);
  if (!isProject && inside.length === 0) return;
  const folder = isProject ? join(arg, 'releases') : arg;
  const example = join(folder, inside.at(-1) ?? '2026-12-01-nouvelle-presidente');
  throw new AimqError(
    'AIMQ-RELEASE-NOT-FOUND',
    isProject
      ? {
          fr: `${arg} est le dossier du projet, pas un communiqué`,
          en: `${arg} is the project folder, not a release`,
        }
      : {
          fr: `${arg} contient des communiqués, mais n’en est pas un`,
          en: `${arg} holds releases but is not one`,
        },
    {
      file: arg,
      hint: {
        fr: `nommez le dossier d’un communiqué, par exemple ${example} (release check et release build les prennent tous quand aucun n’est nommé)`,
        en: `name a release folder, e.g. ${example} (release check and release build take every release when none is named)`,
      },
    },
  );
}
