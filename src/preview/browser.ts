import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import type { Text } from '../i18n/text.js';

/** Where Chrome or Chromium usually is, on Linux (Debian and Ubuntu packages, Google's) and macOS. */
export const USUAL_BROWSER_PATHS: readonly string[] = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
];

/** Command names looked up on PATH after the usual paths (snap, /usr/local/bin, …). */
const COMMAND_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

/**
 * The browser found, or why there is none: `missing` in English (what the gallery and the
 * build print today), `why` in both languages for those that print it in the user's.
 */
export type BrowserLookup = { executable: string } | { missing: string; why: Text };

/**
 * The system's Chrome or Chromium: AIMQ_CHROME when set (a path, or a command on PATH;
 * nothing else is tried then), else the usual paths, else PATH. Never a downloaded browser.
 */
export function findBrowser(env: NodeJS.ProcessEnv): BrowserLookup {
  const named = env.AIMQ_CHROME?.trim();
  if (named) {
    const found =
      named.includes('/') || isAbsolute(named)
        ? isExecutableFile(resolve(named))
          ? resolve(named)
          : undefined
        : onPath(named, env);
    return found
      ? { executable: found }
      : missing({
          fr: `AIMQ_CHROME désigne ${named}, qui n’est pas un fichier exécutable`,
          en: `AIMQ_CHROME names ${named}, which is not an executable file`,
        });
  }
  for (const path of USUAL_BROWSER_PATHS) if (isExecutableFile(path)) return { executable: path };
  for (const name of COMMAND_NAMES) {
    const found = onPath(name, env);
    if (found) return { executable: found };
  }
  const looked = USUAL_BROWSER_PATHS.join(', ');
  return missing({
    fr: `aucun Chrome ni Chromium trouvé (cherché dans ${looked} et dans le PATH\u00a0; définissez AIMQ_CHROME)`,
    en: `no Chrome or Chromium found (looked in ${looked} and on PATH; set AIMQ_CHROME)`,
  });
}

function missing(why: Text): { missing: string; why: Text } {
  return { missing: why.en, why };
}

function onPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
