import { AimqError, AimqProblems, type Diagnostic } from '../errors/index.js';
import type { Release } from '../model/release.js';
import { checkLists, listFile, parseTargets } from '../dispatch/plan.js';
import { isEmail } from '../schema/formats.js';

/**
 * Each `dispatch:` entry's lists must exist when dispatch reads them, found the way dispatch
 * finds them (a path from the project folder, or a name under lists/).
 */
export function checkDispatchTargets(release: Release, root: string): Diagnostic[] {
  return release.dispatch.flatMap((entry) =>
    entry.to
      .filter((t) => !isEmail(t) && !listFile(t, root, root))
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

/**
 * What dispatch will find in the lists of each `dispatch:` entry that may still go out (its
 * time is ahead, or passed less than `dispatch.maxDelay` ago): the invalid lines that will
 * keep the campaign from being sent, at their file:line, and the warnings it will print.
 * Each set of lists is read once per run (`seen`), however many entries name it.
 */
export async function checkDispatchLists(
  release: Release,
  root: string,
  now: number,
  maxDelayMs: number,
  seen: Set<string>,
): Promise<Diagnostic[]> {
  const found: Diagnostic[] = [];
  for (const entry of release.dispatch) {
    if (entry.at.epoch + maxDelayMs < now) continue;
    if (entry.to.some((t) => !isEmail(t) && !listFile(t, root, root))) continue;
    const targets = parseTargets(entry.to, root, root);
    const key = JSON.stringify(targets.map((t) => t.value).sort());
    if (seen.has(key)) continue;
    seen.add(key);
    try {
      found.push(...(await checkLists(targets, false, 'check')).warnings);
    } catch (err) {
      if (err instanceof AimqProblems) found.push(...err.diagnostics);
      else if (err instanceof AimqError)
        found.push({
          file: err.file ?? entry.file,
          line: err.line ?? entry.line,
          column: err.column ?? 1,
          severity: 'error',
          code: err.code,
          message: err.text,
          ...(err.hint ? { hint: err.hint } : {}),
        });
      else throw err;
    }
  }
  // A list named twice in one entry is read twice: its problems are shown once.
  const shown = new Set<string>();
  return found.filter((d) => {
    const key = JSON.stringify([d.file, d.line, d.column, d.code, d.message]);
    return !shown.has(key) && Boolean(shown.add(key));
  });
}
