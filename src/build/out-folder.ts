import { realpathSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import { AimqError } from '../errors/index.js';

/** What a build reads, relative to the project folder: an output folder must not be in any of them. */
const INPUTS = ['releases', 'templates', 'lists', 'aimq.config.yaml'] as const;

/**
 * Refuses an output folder that holds the project, or is inside (or equal to) something a
 * build reads: under
 * `releases/`, each build would copy its own output back as the release's assets, and
 * under `templates/` or `lists/` it would mix pages with the files they are made from.
 * Paths are compared by their real location, so a symbolic link does not get around it.
 * Throws AIMQ-OUTPUT-INSIDE-INPUT (exit 2).
 */
export function checkOutputFolder(root: string, out: string, shownOut: string): void {
  const realOut = realPathOf(out);
  const realRoot = realPathOf(root);
  // The project folder itself, or a folder holding it: the build would write index.html,
  // fr/, en/, assets/… among the project's own files, over any of the same name.
  if (realRoot === realOut || realRoot.startsWith(realOut + sep) || realOut === sep)
    throw new AimqError(
      'AIMQ-OUTPUT-INSIDE-INPUT',
      {
        fr: `le dossier de sortie ${shownOut} contient le projet lui-même (aimq.config.yaml, releases/)`,
        en: `the output folder ${shownOut} holds the project itself (aimq.config.yaml, releases/)`,
      },
      {
        file: shownOut,
        hint: {
          fr: 'les pages écraseraient les fichiers du même nom (index.html…) : choisissez un sous-dossier, par exemple --out public',
          en: 'the pages would overwrite files of the same name (index.html…): choose a subfolder, e.g. --out public',
        },
      },
    );
  for (const input of INPUTS) {
    const realInput = realPathOf(join(root, input));
    if (realOut === realInput || realOut.startsWith(realInput + sep)) {
      const inside = `${relative(realRoot, realInput) || input}/`;
      throw new AimqError(
        'AIMQ-OUTPUT-INSIDE-INPUT',
        {
          fr: `le dossier de sortie ${shownOut} est dans ${inside}, que la construction lit`,
          en: `the output folder ${shownOut} is inside ${inside}, which the build reads`,
        },
        {
          file: shownOut,
          hint: {
            fr: 'choisissez un dossier de sortie hors de releases/, templates/ et lists/, par exemple --out public',
            en: 'choose an output folder outside releases/, templates/ and lists/, e.g. --out public',
          },
        },
      );
    }
  }
}

/** The real path of `path`, or of its nearest existing ancestor followed by the rest: the folder may not exist yet. */
function realPathOf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    const parent = dirname(path);
    return parent === path ? path : join(realPathOf(parent), basename(path));
  }
}

/**
 * Refuses a dry run's folder under `releases/`: a build publishes every file of a release
 * folder as the release's assets, so the messages written there, each with its recipient's
 * name and address (personal information under Law 25), would be put online. Compared by
 * real location, as above. Throws AIMQ-OUTPUT-INSIDE-INPUT (exit 2) before anything is written.
 */
export function checkDryRunFolder(root: string, out: string, shownOut: string): void {
  const realOut = realPathOf(out);
  const realReleases = realPathOf(join(root, 'releases'));
  if (realOut !== realReleases && !realOut.startsWith(realReleases + sep)) return;
  throw new AimqError(
    'AIMQ-OUTPUT-INSIDE-INPUT',
    {
      fr: `le dossier de l’essai à blanc ${shownOut} est dans releases/\u00a0: la construction publierait ses courriels, avec le nom et l’adresse de chaque destinataire`,
      en: `the dry run's folder ${shownOut} is inside releases/: the build would publish its messages, with each recipient's name and address`,
    },
    {
      file: shownOut,
      hint: {
        fr: 'choisissez un dossier hors de releases/, par exemple --out .aimq/essai (ou laissez --out de côté)',
        en: 'choose a folder outside releases/, e.g. --out .aimq/dry-run (or leave out --out)',
      },
    },
  );
}
