import type { Diagnostic } from '../errors/index.js';

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
