import { existsSync, statSync } from 'node:fs';
import { basename, isAbsolute, join, relative, sep } from 'node:path';
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

/**
 * Why a link to a file of the release folder (`[the report](rapport.pdf)`) would be broken
 * on the site and in the e-mails, if it would: the renderers send every such link to the
 * release's published files (`assets/<release>/…`), so the file must be one of them — in
 * the folder, not an edition (`fr.md`), not a folder, not a link to something outside.
 * A query or fragment (`rapport.pdf#page=2`) is kept in the link and ignored here.
 */
export function linkedFileProblem(dirAbs: string, href: string): { message: Text; hint: Text } | undefined {
  const shown = excerpt(href);
  const pathPart = href.split(/[?#]/)[0]!;
  if (pathPart === '') return undefined;
  let file: string;
  try {
    file = decodeURIComponent(pathPart);
  } catch {
    file = pathPart;
  }
  const folder = `${basename(dirAbs)}/`;
  const hint: Text = {
    fr: 'copiez le fichier dans le dossier du communiqué et donnez son nom (rapport.pdf), ou donnez l’adresse complète d’une page (https://…)',
    en: 'copy the file into the release folder and give its name (report.pdf), or give the full address of a page (https://…)',
  };
  const path = join(dirAbs, file);
  const rel = relative(dirAbs, path);
  if (rel.startsWith('..') || isAbsolute(rel))
    return {
      message: {
        fr: `le lien "${shown}" mène hors des fichiers du dossier ${folder}\u00a0: il serait brisé une fois publié`,
        en: `link "${shown}" leads outside the files of ${folder}: it would be broken once published`,
      },
      hint,
    };
  if (!existsSync(path))
    return {
      message: {
        fr: `le lien "${shown}" mène à un fichier qui n’existe pas dans ${folder}`,
        en: `link "${shown}" leads to a file that does not exist in ${folder}`,
      },
      hint: {
        fr: 'vérifiez le nom du fichier (majuscules et minuscules comptent) ou copiez le fichier dans le dossier du communiqué',
        en: 'check the file name (it is case-sensitive) or copy the file into the release folder',
      },
    };
  if (realInside(realOrSelf(dirAbs), path) === undefined)
    return {
      message: {
        fr: `le lien "${shown}" mène à un lien symbolique vers un fichier hors du dossier du communiqué`,
        en: `link "${shown}" leads to a symbolic link to a file outside the release folder`,
      },
      hint,
    };
  // Editions are not published as files: only the rest of the folder is.
  if (!statSync(path).isFile() || (!rel.includes(sep) && rel.endsWith('.md')))
    return {
      message: {
        fr: `le lien "${shown}" ne mène pas à un fichier publié avec le communiqué`,
        en: `link "${shown}" does not lead to a file published with the release`,
      },
      hint,
    };
  return undefined;
}
