import { existsSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import type { Text } from '../i18n/text.js';
import { excerpt } from '../schema/yaml.js';
import { realInside, realOrSelf } from './discover.js';

/**
 * Why an image reference cannot be used, if it cannot: a missing file, a path or a
 * symbolic link that leads outside the release folder, or a non-https URL.
 */
export function imageProblem(dirAbs: string, src: string): { message: Text; hint: Text } | undefined {
  const shown = excerpt(src);
  if (/^[a-z][a-z0-9+.-]*:/i.test(src)) {
    return src.startsWith('https://')
      ? undefined
      : {
          message: {
            fr: `l’image "${shown}" doit être un fichier du dossier du communiqué ou une adresse https`,
            en: `image "${shown}" must be a file in the release folder or an https URL`,
          },
          hint: {
            fr: 'copiez l’image dans le dossier du communiqué et donnez le nom de son fichier',
            en: 'copy the image into the release folder and give its file name',
          },
        };
  }
  const path = join(dirAbs, src);
  const inside = !relative(dirAbs, path).startsWith('..');
  if (!inside)
    return {
      message: {
        fr: `l’image "${shown}" est hors du dossier du communiqué`,
        en: `image "${shown}" is outside the release folder`,
      },
      hint: {
        fr: 'copiez l’image dans le dossier du communiqué',
        en: 'copy the image into the release folder',
      },
    };
  if (!existsSync(path)) {
    return {
      message: {
        fr: `l’image "${shown}" n’existe pas dans ${basename(dirAbs)}/`,
        en: `image "${shown}" does not exist in ${basename(dirAbs)}/`,
      },
      hint: {
        fr: 'vérifiez le nom du fichier (majuscules et minuscules comptent) ou copiez l’image dans le dossier du communiqué',
        en: 'check the file name (it is case-sensitive) or copy the image into the release folder',
      },
    };
  }
  // A symbolic link would attach or publish whatever it points to, anywhere on the machine.
  if (realInside(realOrSelf(dirAbs), path) === undefined)
    return {
      message: {
        fr: `l’image "${shown}" est un lien vers un fichier hors du dossier du communiqué`,
        en: `image "${shown}" is a link to a file outside the release folder`,
      },
      hint: {
        fr: 'copiez l’image elle-même dans le dossier du communiqué au lieu d’y faire un lien',
        en: 'copy the image itself into the release folder instead of linking to it',
      },
    };
  if (!statSync(path).isFile())
    return {
      message: { fr: `l’image "${shown}" n’est pas un fichier`, en: `image "${shown}" is not a file` },
      hint: {
        fr: 'donnez le nom du fichier de l’image, par rapport au dossier du communiqué',
        en: 'give the name of the image file, relative to the release folder',
      },
    };
  return undefined;
}
