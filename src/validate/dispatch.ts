import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Diagnostic } from '../errors/index.js';
import type { Release } from '../model/release.js';
import { isEmail } from '../schema/formats.js';

/** Each `dispatch:` entry's lists must exist (relative to the project) when dispatch reads them. */
export function checkDispatchTargets(release: Release, root: string): Diagnostic[] {
  return release.dispatch.flatMap((entry) =>
    entry.to
      .filter((t) => !isEmail(t))
      .filter((t) => {
        const abs = resolve(root, t);
        return !existsSync(abs) || !statSync(abs).isFile();
      })
      .map((t) => ({
        file: entry.file,
        line: entry.line,
        column: 1,
        severity: 'error' as const,
        code: 'AIMQ-DISPATCH-TARGET' as const,
        message: {
          fr: `dispatch\u00a0: "${t}" n’est ni une adresse courriel ni un fichier de liste du projet`,
          en: `dispatch: "${t}" is neither an e-mail address nor a list file of the project`,
        },
        hint: {
          fr: 'nommez un fichier CSV par rapport au dossier du projet, par exemple lists/medias.csv',
          en: 'name a CSV file relative to the project folder, e.g. lists/medias.csv',
        },
      })),
  );
}
