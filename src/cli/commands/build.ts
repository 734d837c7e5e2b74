import { relative, resolve } from 'node:path';
import { type BuildResult, buildSite } from '../../build/build.js';
import { loadConfig } from '../../config/load.js';
import { AimqError, EXIT } from '../../errors/index.js';
import { nowOption } from '../../time/clock.js';
import type { Changes } from '../../git/changed.js';
import { closeLaunch, type Launch } from '../../preview/launch.js';
import type { Io } from '../main.js';
import { formatText } from '../report.js';

/** `aimq release build`: the newsroom into --out, then the path of the primary-language page. */
export interface BuildCommandOptions {
  out: string;
  now?: string;
  includeEmbargoed?: boolean;
  preview?: boolean;
  requireScreenshots?: boolean;
  /** With --preview: screenshots of the releases changed since this git ref only. */
  changedSince?: string;
  /** With --preview: as --changed-since, and compared with the ref's version, built from git. */
  compare?: string;
}

export async function buildCommand(io: Io, dirs: string[], opts: BuildCommandOptions): Promise<number> {
  const sinceRef = opts.compare ?? opts.changedSince;
  if (sinceRef !== undefined && !opts.preview)
    throw new AimqError(
      'AIMQ-USAGE',
      `${opts.compare !== undefined ? '--compare' : '--changed-since'} only chooses what the preview shows`,
      {
        hint: `add --preview: aimq release build --preview ${opts.compare !== undefined ? '--compare' : '--changed-since'} ${sinceRef}`,
      },
    );
  if (opts.compare !== undefined && opts.changedSince !== undefined && opts.compare !== opts.changedSince)
    throw new AimqError('AIMQ-USAGE', '--compare and --changed-since name different refs', {
      hint: '--compare <ref> already previews only what changed since <ref>: give it alone',
    });
  const pages = previewPages(io.env);
  const config = loadConfig(io.cwd, io.cwd);
  // The ref is read before building, so that a ref git does not know fails at once.
  const option = opts.compare !== undefined ? '--compare' : '--changed-since';
  const changes =
    sinceRef === undefined
      ? undefined
      : (await import('../../git/changed.js')).changesSince(config.root, sinceRef, option);
  const now = opts.now === undefined ? Date.now() : nowOption(opts.now, config.timeZone);
  const out = resolve(io.cwd, opts.out);
  const shownOut = relative(io.cwd, out) || '.';
  const launched = opts.preview ? await startBrowser(io.env, changes) : undefined;
  let result: BuildResult;
  try {
    result = await buildSite(config, {
      out,
      shownOut,
      now,
      includeEmbargoed: Boolean(opts.includeEmbargoed),
      releases: dirs,
      cwd: io.cwd,
      env: io.env,
    });
  } catch (err) {
    if (launched) await closeLaunch(launched.launch);
    throw err;
  }
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
    const { previewSince } = await import('../../preview/since.js');
    let preview: Awaited<ReturnType<typeof writePreview>>;
    try {
      preview = await previewSince(
        {
          root: config.root,
          now,
          includeEmbargoed: Boolean(opts.includeEmbargoed),
          ...(sinceRef === undefined || changes === undefined
            ? {}
            : { since: { ref: sinceRef, option, changes, compare: opts.compare !== undefined } }),
        },
        (since) =>
          writePreview(config, result, {
            out,
            shownOut,
            env: io.env,
            log: (line) => io.stderr(line),
            ...(since ? { since } : {}),
            ...(pages === undefined ? {} : { pages }),
            ...(launched ? { launched } : {}),
          }),
      );
    } catch (err) {
      // The screenshots close the browser; this is for a preview that failed before them.
      if (launched) await closeLaunch(launched.launch);
      throw err;
    }
    if (changes)
      io.stderr(
        `Preview of ${preview.previewed.length} release(s) changed since ${sinceRef}${changes.everything ? ` (all: ${changes.everything} changed)` : ''}${opts.compare !== undefined ? `, ${preview.diffs} difference image(s)` : ''}; summary in ${shownOut}/_preview/summary.md.`,
      );
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

/**
 * Starts the browser for the preview's screenshots now, so that its start-up overlaps the
 * build; undefined when no screenshot will be needed or no browser is found (the preview
 * then reports it, as without this head start).
 */
async function startBrowser(
  env: NodeJS.ProcessEnv,
  changes: Changes | undefined,
): Promise<{ executable: string; launch: Promise<Launch> } | undefined> {
  if (changes && changes.everything === undefined && !changes.releases.size) return undefined;
  const { findBrowser } = await import('../../preview/browser.js');
  const lookup = findBrowser(env);
  if ('missing' in lookup) return undefined;
  const { launchBrowser } = await import('../../preview/screenshots.js');
  return { executable: lookup.executable, launch: launchBrowser(lookup.executable) };
}

/** AIMQ_PREVIEW_PAGES: how many browser pages take screenshots at once (default: measured best here). */
function previewPages(env: NodeJS.ProcessEnv): number | undefined {
  const text = env.AIMQ_PREVIEW_PAGES?.trim();
  if (!text) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 16)
    throw new AimqError(
      'AIMQ-USAGE',
      `AIMQ_PREVIEW_PAGES is ${text}: it must be a whole number from 1 to 16`,
      {
        hint: 'unset it to use the default, or set e.g. AIMQ_PREVIEW_PAGES=4 on a machine with more cores',
      },
    );
  return n;
}
