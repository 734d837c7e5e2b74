import { cpSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { findProjectRoot } from '../../config/load.js';
import { AimqError, EXIT } from '../../errors/index.js';
import { PACKAGED_TEMPLATES } from '../../templating/roots.js';
import type { Io } from '../main.js';

/**
 * `aimq init [dir]`: a project folder with a config to edit, a sample release that builds,
 * and the folders aimq uses. Never overwrites a file.
 */
export function initCommand(io: Io, dir: string, opts: { force?: boolean }): number {
  const target = resolve(io.cwd, dir);
  const shown = relative(io.cwd, target) || '.';
  if (existsSync(join(target, 'aimq.config.yaml'))) {
    throw new AimqError(
      'AIMQ-EXISTS',
      {
        fr: `${join(shown, 'aimq.config.yaml')} existe déjà\u00a0: ce dossier est déjà un projet aimq`,
        en: `${join(shown, 'aimq.config.yaml')} already exists: this is already an aimq project`,
      },
      {
        file: join(shown, 'aimq.config.yaml'),
        hint: {
          fr: 'modifiez ce fichier, ou choisissez un autre dossier',
          en: 'edit that file, or choose another folder',
        },
      },
    );
  }
  // A folder under a project (its releases/, a subfolder): a config here would make a second
  // project, and every command run below it would stop using the one above.
  const outer = findProjectRoot(dirname(target));
  if (outer) {
    const outerConfig = relative(io.cwd, join(outer, 'aimq.config.yaml'));
    const here = shown === '.' ? { fr: 'ce dossier', en: 'this folder' } : { fr: shown, en: shown };
    const nested = {
      fr: `${here.fr} est dans un projet aimq (${outerConfig})\u00a0: un projet ici en serait un second, distinct, et les commandes lancées dans ce dossier n’utiliseraient plus ${outerConfig}`,
      en: `${here.en} is inside an aimq project (${outerConfig}): a project here would be a second, separate one, and commands run in that folder would no longer use ${outerConfig}`,
    };
    if (!opts.force)
      throw new AimqError('AIMQ-EXISTS', nested, {
        file: outerConfig,
        hint: {
          fr: 'lancez les commandes aimq dans ce projet (aimq release new pour un nouveau communiqué), ou ajoutez --force pour créer tout de même un projet distinct ici',
          en: 'run aimq commands in that project (aimq release new for a new release), or add --force to create a separate project here anyway',
        },
      });
    io.stderr(io.t({ fr: `avertissement\u00a0: ${nested.fr}`, en: `warning: ${nested.en}` }));
  }
  if (existsSync(target) && !statSync(target).isDirectory()) {
    throw new AimqError(
      'AIMQ-EXISTS',
      { fr: `${shown} est un fichier, pas un dossier`, en: `${shown} is a file, not a folder` },
      { file: shown, hint: { fr: 'choisissez un autre dossier', en: 'choose another folder' } },
    );
  }
  if (existsSync(target) && readdirSync(target).filter((n) => !n.startsWith('.')).length > 0 && !opts.force) {
    throw new AimqError(
      'AIMQ-EXISTS',
      { fr: `${shown} n’est pas vide`, en: `${shown} is not empty` },
      {
        file: shown,
        hint: {
          fr: 'ajoutez --force pour créer les fichiers du projet à côté de ce qui s’y trouve (rien n’est écrasé)',
          en: 'use --force to add the project files beside what is there (nothing is overwritten)',
        },
      },
    );
  }
  mkdirSync(target, { recursive: true });
  const starter = join(PACKAGED_TEMPLATES, 'init');
  const created: string[] = [];
  const copy = (from: string, rel: string) => {
    for (const entry of readdirSync(from, { withFileTypes: true })) {
      const src = join(from, entry.name);
      // npm drops files named .gitignore from packages, so the starter ships it as "gitignore".
      const name = entry.name === 'gitignore' ? '.gitignore' : entry.name;
      const relPath = rel ? `${rel}/${name}` : name;
      const dest = join(target, relPath);
      if (entry.isDirectory()) {
        mkdirSync(dest, { recursive: true });
        copy(src, relPath);
      } else if (!existsSync(dest)) {
        cpSync(src, dest);
        created.push(relPath);
      }
    }
  };
  copy(starter, '');
  for (const d of ['lists', 'templates']) mkdirSync(join(target, d), { recursive: true });
  io.stdout(created.map((f) => join(shown, f)).join('\n'));
  const build = `aimq release build${shown === '.' ? '' : ` -C ${shown}`}`;
  io.stderr(
    io.t({
      fr: `Projet aimq créé dans ${shown}/. Ensuite\u00a0: modifiez aimq.config.yaml, puis lancez «\u00a0${build}\u00a0».`,
      en: `Created an aimq project in ${shown}/. Next: edit aimq.config.yaml, then run "${build}".`,
    }),
  );
  return EXIT.ok;
}
