import { relative, resolve } from 'node:path';
import { buildSite } from '../../build/build.js';
import { loadConfig } from '../../config/load.js';
import { AimqError, EXIT } from '../../errors/index.js';
import { nowOption } from '../../time/clock.js';
import type { Io } from '../main.js';
import { formatText } from '../report.js';

/** `aimq release build`: the newsroom into --out, then the path of the primary-language page. */
export interface BuildCommandOptions {
  out: string;
  now?: string;
  includeEmbargoed?: boolean;
  preview?: boolean;
  requireScreenshots?: boolean;
}

export async function buildCommand(io: Io, dirs: string[], opts: BuildCommandOptions): Promise<number> {
  const config = loadConfig(io.cwd, io.cwd);
  const now = opts.now === undefined ? Date.now() : nowOption(opts.now, config.timeZone);
  const out = resolve(io.cwd, opts.out);
  const shownOut = relative(io.cwd, out) || '.';
  const result = await buildSite(config, {
    out,
    shownOut,
    now,
    includeEmbargoed: Boolean(opts.includeEmbargoed),
    releases: dirs,
    cwd: io.cwd,
    env: io.env,
  });
  if (result.warnings.length) io.stderr(formatText(result.warnings));
  const touched = `${result.written.length} file(s) written, ${result.unchanged} unchanged${result.removed.length ? `, ${result.removed.length} removed` : ''}`;
  io.stderr(
    `Built ${result.pages.length} page(s) from ${new Set(result.pages.map((p) => p.release)).size} release(s) into ${shownOut}/: ${touched}.${result.embargoed.length ? ` Under embargo, left out: ${result.embargoed.join(', ')}.` : ''}`,
  );
  // stdout carries only paths, so a script can open or upload them: the primary-language
  // page of each named release, or of the newest one (folder names start with the date).
  const primaryPages = result.pages.filter((p) => p.lang === config.languages[0]);
  const newest = primaryPages
    .map((p) => p.release)
    .sort()
    .at(-1);
  const listed = dirs.length ? primaryPages : primaryPages.filter((p) => p.release === newest);
  for (const p of listed) io.stdout(`${shownOut}/${p.path}`);
  if (!listed.length) io.stdout(`${shownOut}/index.html`);
  if (opts.preview) {
    const { writePreview } = await import('../../preview/gallery.js');
    const preview = await writePreview(config, result, {
      out,
      shownOut,
      env: io.env,
      log: (line) => io.stderr(line),
    });
    io.stdout(`${shownOut}/_preview/index.html`);
    if (preview.missingBrowser) {
      if (opts.requireScreenshots)
        throw new AimqError(
          'AIMQ-BROWSER',
          `${preview.screenshots ? 'screenshots incomplete' : 'no screenshots'}: ${preview.missingBrowser}`,
          {
            hint: 'install Chromium (apt-get install chromium) or set AIMQ_CHROME to a Chrome or Chromium executable',
          },
        );
      io.stderr(
        preview.screenshots
          ? `Screenshots incomplete (${preview.screenshots} taken): ${preview.missingBrowser}.`
          : `No screenshots: ${preview.missingBrowser}. The gallery links to every page without images.`,
      );
    }
  }
  return EXIT.ok;
}
