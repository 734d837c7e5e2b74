import type { Diagnostic } from '../errors/index.js';
import { newsroomStringsFor } from '../render-web/newsroom-strings.js';

/**
 * Two editions whose pages would be the same file (a translated slug used twice, or equal
 * to another release's folder name): the second would silently replace the first.
 */
export function checkUniquePages(pages: readonly { path: string; file: string }[]): Diagnostic[] {
  const owners = new Map<string, string>();
  const out: Diagnostic[] = [];
  for (const { path, file } of pages) {
    const first = owners.get(path);
    if (first === undefined) {
      owners.set(path, file);
      continue;
    }
    out.push({
      file,
      line: 1,
      column: 1,
      severity: 'error',
      code: 'AIMQ-SLUG',
      message: {
        fr: `la page de cette édition serait ${path}, qui est déjà la page de ${first}`,
        en: `this edition's page would be ${path}, which is already the page of ${first}`,
      },
      hint: {
        fr: 'donnez à cette édition son propre `slug:` dans son en-tête',
        en: 'give this edition its own slug: in its front matter',
      },
    });
  }
  return out;
}

/**
 * Release pages whose slug is a folder of the archive (a year, or the topics' folder): the
 * archive's page would silently replace the release's. AIMQ-SLUG errors, as for two
 * editions with one page.
 */
export function checkArchiveSlugs(pages: readonly { path: string; file: string }[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const { path, file } of pages) {
    const [lang, slug] = path.split('/');
    if (lang === undefined || slug === undefined) continue;
    const folder = newsroomStringsFor(lang).topicsFolder;
    if (!/^\d{4}$/.test(slug) && slug !== folder) continue;
    out.push({
      file,
      line: 1,
      column: 1,
      severity: 'error',
      code: 'AIMQ-SLUG',
      message:
        slug === folder
          ? {
              fr: `la page de cette édition serait ${path}, où se trouve la page des sujets de la salle de presse`,
              en: `this edition's page would be ${path}, where the newsroom's topics page is`,
            }
          : {
              fr: `la page de cette édition serait ${path}, où se trouve la page des archives ${slug} de la salle de presse`,
              en: `this edition's page would be ${path}, where the newsroom's ${slug} archive page is`,
            },
      hint: {
        fr: `donnez un autre slug à cette édition, dans son front matter (ni une année, ni «\u00a0${folder}\u00a0»)`,
        en: `give this edition another slug: in its front matter (not a year, nor "${folder}")`,
      },
    });
  }
  return out;
}
