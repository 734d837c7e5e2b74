import { basename, join, relative, resolve } from 'node:path';
import { type BuildResult, buildSite } from '../../build/build.js';
import { loadConfig } from '../../config/load.js';
import { AimqError, EXIT } from '../../errors/index.js';
import { nowOption } from '../../time/clock.js';
import type { Changes } from '../../git/changed.js';
import { closeLaunch, type Launch } from '../../preview/launch.js';
import type { Io } from '../main.js';
import { counted, formatNumber, joinText, type Message } from '../../i18n/text.js';
import { formatText } from '../report.js';

/** `aimq release build`: the newsroom into --out, then the path of the primary-language page. */
export interface BuildCommandOptions {
  /** Relative to the working folder; by default public/ in the project folder. */
  out?: string;
  now?: string;
  includeEmbargoed?: boolean;
  preview?: boolean;
  requireScreenshots?: boolean;
  /** With --preview: screenshots of the releases changed since this git ref only. */
  changedSince?: string;
  /** With --preview: as --changed-since, and compared with the ref's version, built from git. */
  compare?: string;
}

/** The changes since `ref`, among the named release folders when some are named. */
async function changesOf(
  root: string,
  cwd: string,
  dirs: readonly string[],
  ref: string,
  option: '--compare' | '--changed-since',
): Promise<Changes> {
  const { amongNamed, changesSince } = await import('../../git/changed.js');
  const changes = changesSince(root, ref, option);
  if (!dirs.length) return changes;
  const { findReleaseDirs } = await import('../../load/discover.js');
  return amongNamed(changes, new Set(findReleaseDirs(root, cwd, dirs).map((d) => basename(d))));
}

export async function buildCommand(io: Io, dirs: string[], opts: BuildCommandOptions): Promise<number> {
  const sinceRef = opts.compare ?? opts.changedSince;
  if (sinceRef !== undefined && !opts.preview) {
    const flag = opts.compare !== undefined ? '--compare' : '--changed-since';
    throw new AimqError(
      'AIMQ-USAGE',
      {
        fr: `${flag} ne fait que choisir ce que montre l’aperçu`,
        en: `${flag} only chooses what the preview shows`,
      },
      {
        hint: {
          fr: `ajoutez --preview\u00a0: aimq release build --preview ${flag} ${sinceRef}`,
          en: `add --preview: aimq release build --preview ${flag} ${sinceRef}`,
        },
      },
    );
  }
  if (opts.compare !== undefined && opts.changedSince !== undefined && opts.compare !== opts.changedSince)
    throw new AimqError(
      'AIMQ-USAGE',
      {
        fr: '--compare et --changed-since nomment des références différentes',
        en: '--compare and --changed-since name different refs',
      },
      {
        hint: {
          fr: '--compare <ref> ne montre déjà que ce qui a changé depuis <ref>\u00a0: donnez-le seul',
          en: '--compare <ref> already previews only what changed since <ref>: give it alone',
        },
      },
    );
  const pages = previewPages(io.env);
  const config = loadConfig(io.cwd, io.cwd);
  // The ref is read before building, so that a ref git does not know fails at once.
  const option = opts.compare !== undefined ? '--compare' : '--changed-since';
  const changes =
    sinceRef === undefined ? undefined : await changesOf(config.root, io.cwd, dirs, sinceRef, option);
  const now = opts.now === undefined ? Date.now() : nowOption(opts.now, config.timeZone);
  // The default is the project's public/, wherever in the project aimq runs (as the config
  // is found): from releases/x/ it was releases/x/public, refused as inside releases/, and
  // from any other subfolder a second site.
  const out = opts.out === undefined ? join(config.root, 'public') : resolve(io.cwd, opts.out);
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
  if (result.warnings.length) io.stderr(formatText(result.warnings, io.lang));
  io.stderr(io.t(builtSummary(result, shownOut)));
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
            log: (line: Message) => io.stderr(io.t(line)),
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
    if (changes) {
      const releases = counted(preview.previewed.length, {
        fr: ['communiqué modifié', 'communiqués modifiés'],
        en: ['release(s)', 'release(s)'],
      });
      const diffs = counted(preview.diffs, {
        fr: ['image de différences', 'images de différences'],
        en: ['difference image(s)', 'difference image(s)'],
      });
      const compare = opts.compare !== undefined;
      io.stderr(
        io.t({
          fr: `Aperçu de ${releases.fr} depuis ${sinceRef}${changes.everything ? ` (tous\u00a0: ${changes.everything} a changé)` : ''}${compare ? `, ${diffs.fr}` : ''}\u00a0; résumé dans ${shownOut}/_preview/summary.md.`,
          en: `Preview of ${releases.en} changed since ${sinceRef}${changes.everything ? ` (all: ${changes.everything} changed)` : ''}${compare ? `, ${diffs.en}` : ''}; summary in ${shownOut}/_preview/summary.md.`,
        }),
      );
    }
    io.stdout(`${shownOut}/_preview/index.html`);
    if (preview.missingBrowser) {
      const why = io.t(preview.missingBrowser);
      if (opts.requireScreenshots)
        throw new AimqError(
          'AIMQ-BROWSER',
          preview.screenshots
            ? { fr: `captures d’écran incomplètes\u00a0: ${why}`, en: `screenshots incomplete: ${why}` }
            : { fr: `aucune capture d’écran\u00a0: ${why}`, en: `no screenshots: ${why}` },
          {
            hint: {
              fr: 'installez Chromium (apt-get install chromium) ou donnez à AIMQ_CHROME le chemin d’un exécutable Chrome ou Chromium',
              en: 'install Chromium (apt-get install chromium) or set AIMQ_CHROME to a Chrome or Chromium executable',
            },
          },
        );
      io.stderr(
        io.t(
          preview.screenshots
            ? {
                fr: `Captures d’écran incomplètes (${formatNumber(preview.screenshots, 'fr')} prises)\u00a0: ${why}.`,
                en: `Screenshots incomplete (${preview.screenshots} taken): ${why}.`,
              }
            : {
                fr: `Aucune capture d’écran\u00a0: ${why}. La galerie donne un lien vers chaque page, sans images.`,
                en: `No screenshots: ${why}. The gallery links to every page without images.`,
              },
        ),
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
      {
        fr: `AIMQ_PREVIEW_PAGES vaut ${text}\u00a0: ce doit être un nombre entier de 1 à 16`,
        en: `AIMQ_PREVIEW_PAGES is ${text}: it must be a whole number from 1 to 16`,
      },
      {
        hint: {
          fr: 'retirez-la pour garder la valeur par défaut, ou mettez p.\u00a0ex. AIMQ_PREVIEW_PAGES=4 sur une machine qui a plus de cœurs',
          en: 'unset it to use the default, or set e.g. AIMQ_PREVIEW_PAGES=4 on a machine with more cores',
        },
      },
    );
  return n;
}

/** What the build did, in one line: pages, releases, files written, what the embargo left out. */
function builtSummary(result: BuildResult, shownOut: string): Message {
  const pages = counted(result.pages.length, { fr: ['page', 'pages'], en: ['page(s)', 'page(s)'] });
  const releases = counted(new Set(result.pages.map((p) => p.release)).size, {
    fr: ['communiqué', 'communiqués'],
    en: ['release(s)', 'release(s)'],
  });
  const written = counted(result.written.length, {
    fr: ['fichier écrit', 'fichiers écrits'],
    en: ['file(s) written', 'file(s) written'],
  });
  const unchanged = counted(result.unchanged, {
    fr: ['inchangé', 'inchangés'],
    en: ['unchanged', 'unchanged'],
  });
  const removed = counted(result.removed.length, {
    fr: ['supprimé', 'supprimés'],
    en: ['removed', 'removed'],
  });
  const embargoed = result.embargoed.join(', ');
  return joinText([
    {
      fr: `${pages.fr} construite${result.pages.length < 2 ? '' : 's'} à partir de ${releases.fr} dans ${shownOut}/\u00a0: ${written.fr}, ${unchanged.fr}`,
      en: `Built ${pages.en} from ${releases.en} into ${shownOut}/: ${written.en}, ${unchanged.en}`,
    },
    result.removed.length ? { fr: `, ${removed.fr}`, en: `, ${removed.en}` } : '',
    '.',
    embargoed
      ? {
          fr: ` Sous embargo, laissés de côté\u00a0: ${embargoed}.`,
          en: ` Under embargo, left out: ${embargoed}.`,
        }
      : '',
  ]);
}
