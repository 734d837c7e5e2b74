import { realpathSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import { AimqError } from '../errors/index.js';

/** What a build reads, relative to the project folder: an output folder must not be in any of them. */
const INPUTS = ['releases', 'templates', 'lists', 'aimq.config.yaml'] as const;

/**
 * Refuses an output folder inside (or equal to) something a build reads: under
 * `releases/`, each build would copy its own output back as the release's assets, and
 * under `templates/` or `lists/` it would mix pages with the files they are made from.
 * Paths are compared by their real location, so a symbolic link does not get around it.
 * Throws AIMQ-OUTPUT-INSIDE-INPUT (exit 2).
 */
export function checkOutputFolder(root: string, out: string, shownOut: string): void {
  const realOut = realPathOf(out);
  const realRoot = realPathOf(root);
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
